using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Akka.Couchbase.Hosting;

/// <summary>
/// Akka.Hosting integration: <c>services.AddAkka("app", b => b.WithCouchbase(o => { ... }))</c> configures the client
/// and starts it with the actor system, registering its supervisor as <see cref="CouchbaseSupervisor"/>;
/// <c>services.AddCouchbaseClient()</c> makes the Task facade (<see cref="CouchbaseClient"/>) injectable.
/// </summary>
public static class CouchbaseHostingExtensions
{
    /// <summary>
    /// Adds the <c>akka.couchbase</c> settings of <paramref name="configure"/> in front of the application's HOCON,
    /// starts the client when the actor system starts and registers its supervisor in the ActorRegistry.
    /// Settings are checked then: a bad value fails the start with a message naming its key.
    /// </summary>
    public static AkkaConfigurationBuilder WithCouchbase(this AkkaConfigurationBuilder builder, Action<CouchbaseOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new CouchbaseOptions();
        configure(options);
        return builder.WithCouchbase(options);
    }

    /// <inheritdoc cref="WithCouchbase(AkkaConfigurationBuilder, Action{CouchbaseOptions})"/>
    public static AkkaConfigurationBuilder WithCouchbase(this AkkaConfigurationBuilder builder, CouchbaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder
            .AddHocon(ConfigurationFactory.ParseString(options.ToHocon()), HoconAddMode.Prepend)
            .WithActors((system, registry) => registry.Register<CouchbaseSupervisor>(CouchbaseExtension.Get(system).Supervisor));
    }

    /// <summary>
    /// Registers the client's Task facade (<see cref="CouchbaseClient"/>) as a singleton resolved from the
    /// <see cref="ActorSystem"/> that Akka.Hosting registers (configure it with <see cref="WithCouchbase(AkkaConfigurationBuilder, Action{CouchbaseOptions})"/>).
    /// </summary>
    public static IServiceCollection AddCouchbaseClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddSingleton(sp => CouchbaseExtension.Get(sp.GetRequiredService<ActorSystem>()).Client);
    }
}
