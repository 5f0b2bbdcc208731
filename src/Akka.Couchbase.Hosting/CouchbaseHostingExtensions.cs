using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Akka.Couchbase.Hosting;

/// <summary>
/// Akka.Hosting integration. On the <see cref="AkkaConfigurationBuilder"/>, <c>WithCouchbase</c> configures a client
/// and starts it with the actor system, its supervisor in the ActorRegistry; on the service collection,
/// <c>AddCouchbaseClient</c> makes its Task facade (<see cref="CouchbaseClient"/>) injectable:
/// <code>
/// services.AddAkka("app", b => b
///     .WithCouchbase(o => { o.Servers = new[] { "10.0.0.1" }; o.Bucket = "travel"; })          // the default client
///     .WithCouchbase&lt;OrdersCouchbase&gt;("orders", o => { o.Servers = new[] { "10.0.1.1" }; o.Bucket = "orders"; }));
/// services.AddCouchbaseClient();           // CouchbaseClient: the default client
/// services.AddCouchbaseClient("orders");   // [FromKeyedServices("orders")] CouchbaseClient
/// // both also register CouchbaseClients (every client by name); the supervisors are
/// // IRequiredActor&lt;CouchbaseSupervisor&gt; and IRequiredActor&lt;OrdersCouchbase&gt;.
/// </code>
/// Each call renders its options as HOCON in front of the application's (<c>akka.couchbase</c> for the default client,
/// <c>akka.couchbase.clients.&lt;name&gt;</c> for a named one, whose unset keys come from <c>akka.couchbase</c>) and
/// appends HOCON/reference.conf behind it, so the configuration is complete before the client starts. Settings are
/// checked when the actor system starts: a bad value fails the host's start with a message naming its key.
/// </summary>
public static class CouchbaseHostingExtensions
{
    /// <summary>
    /// Configures the default client (<c>akka.couchbase</c>) with <paramref name="configure"/>, starts it when the
    /// actor system starts and registers its supervisor in the ActorRegistry as <see cref="CouchbaseSupervisor"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The default client is already configured on this builder, or the options
    /// cannot be rendered (see <see cref="CouchbaseOptions.ToHocon()"/>).</exception>
    public static AkkaConfigurationBuilder WithCouchbase(this AkkaConfigurationBuilder builder, Action<CouchbaseOptions> configure) =>
        builder.WithCouchbase(Configured(configure));

    /// <inheritdoc cref="WithCouchbase(AkkaConfigurationBuilder, Action{CouchbaseOptions})"/>
    public static AkkaConfigurationBuilder WithCouchbase(this AkkaConfigurationBuilder builder, CouchbaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.Add(CouchbaseExtension.DefaultClientName, CouchbaseSettings.ConfigPath, options, typeof(CouchbaseSupervisor),
            (system, registry) => registry.Register<CouchbaseSupervisor>(CouchbaseExtension.Get(system).Supervisor));
    }

    /// <summary>
    /// Configures the client named <paramref name="name"/> (<c>akka.couchbase.clients.&lt;name&gt;</c>, with
    /// <c>akka.couchbase</c> as its fallback) with <paramref name="configure"/> and starts it when the actor system
    /// starts. Reach it with <see cref="CouchbaseExtension.GetClient"/>, <see cref="CouchbaseClients"/> or, after
    /// <see cref="AddCouchbaseClient(IServiceCollection, string)"/>, <c>[FromKeyedServices(name)] CouchbaseClient</c>;
    /// to have its supervisor in the ActorRegistry, use <see cref="WithCouchbase{TKey}(AkkaConfigurationBuilder, string, Action{CouchbaseOptions})"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a plain HOCON key (letters, digits, '-', '_'), is
    /// <see cref="CouchbaseExtension.DefaultClientName"/>, or is already configured on this builder; or the options
    /// cannot be rendered.</exception>
    public static AkkaConfigurationBuilder WithCouchbase(this AkkaConfigurationBuilder builder, string name, Action<CouchbaseOptions> configure) =>
        builder.WithCouchbase(name, Configured(configure));

    /// <inheritdoc cref="WithCouchbase(AkkaConfigurationBuilder, string, Action{CouchbaseOptions})"/>
    public static AkkaConfigurationBuilder WithCouchbase(this AkkaConfigurationBuilder builder, string name, CouchbaseOptions options) =>
        builder.AddNamed(name, options, null, (system, _) => CouchbaseExtension.Get(system).GetClient(name));

    /// <summary>
    /// Configures and starts the client named <paramref name="name"/> as
    /// <see cref="WithCouchbase(AkkaConfigurationBuilder, string, Action{CouchbaseOptions})"/> does, and registers its
    /// supervisor in the ActorRegistry under <typeparamref name="TKey"/> (a type of the application's, e.g. an empty
    /// <c>OrdersCouchbase</c> class): inject <c>IRequiredActor&lt;TKey&gt;</c>.
    /// </summary>
    /// <exception cref="ArgumentException">As the untyped overload, or <typeparamref name="TKey"/> is already the key
    /// of another client's supervisor.</exception>
    public static AkkaConfigurationBuilder WithCouchbase<TKey>(this AkkaConfigurationBuilder builder, string name, Action<CouchbaseOptions> configure) =>
        builder.WithCouchbase<TKey>(name, Configured(configure));

    /// <inheritdoc cref="WithCouchbase{TKey}(AkkaConfigurationBuilder, string, Action{CouchbaseOptions})"/>
    public static AkkaConfigurationBuilder WithCouchbase<TKey>(this AkkaConfigurationBuilder builder, string name, CouchbaseOptions options) =>
        builder.AddNamed(name, options, typeof(TKey),
            (system, registry) => registry.Register<TKey>(CouchbaseExtension.Get(system).GetClient(name).Supervisor));

    /// <summary>
    /// Registers the default client's Task facade (<see cref="CouchbaseClient"/>) and <see cref="CouchbaseClients"/>
    /// as singletons resolved from the <see cref="ActorSystem"/> that Akka.Hosting registers (configure the client with
    /// <see cref="WithCouchbase(AkkaConfigurationBuilder, Action{CouchbaseOptions})"/> or HOCON). Calling it again changes nothing.
    /// </summary>
    public static IServiceCollection AddCouchbaseClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => CouchbaseExtension.Get(sp.GetRequiredService<ActorSystem>()).Client);
        return services.AddCouchbaseClients();
    }

    /// <summary>
    /// Registers the Task facade of the client named <paramref name="name"/> as a keyed singleton, resolved with
    /// <c>[FromKeyedServices(name)] CouchbaseClient</c> or <c>GetRequiredKeyedService&lt;CouchbaseClient&gt;(name)</c>,
    /// and <see cref="CouchbaseClients"/>. The client comes from <see cref="CouchbaseExtension.GetClient"/> (configure it
    /// with <see cref="WithCouchbase(AkkaConfigurationBuilder, string, Action{CouchbaseOptions})"/> or HOCON at
    /// <c>akka.couchbase.clients.&lt;name&gt;</c>). Calling it again with the same name changes nothing.
    /// </summary>
    public static IServiceCollection AddCouchbaseClient(this IServiceCollection services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        services.TryAddKeyedSingleton(name, (sp, _) => CouchbaseExtension.Get(sp.GetRequiredService<ActorSystem>()).GetClient(name));
        return services.AddCouchbaseClients();
    }

    private static IServiceCollection AddCouchbaseClients(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new CouchbaseClients(sp.GetRequiredService<ActorSystem>()));
        return services;
    }

    private static CouchbaseOptions Configured(Action<CouchbaseOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new CouchbaseOptions();
        configure(options);
        return options;
    }

    private static AkkaConfigurationBuilder AddNamed(this AkkaConfigurationBuilder builder, string name, CouchbaseOptions options,
        Type? registryKey, Action<ActorSystem, IActorRegistry> start)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ConfiguredClients.CheckName(name);
        return builder.Add(name, CouchbaseExtension.ClientsConfigPath + "." + name, options, registryKey, start);
    }

    private static AkkaConfigurationBuilder Add(this AkkaConfigurationBuilder builder, string name, string path,
        CouchbaseOptions options, Type? registryKey, Action<ActorSystem, IActorRegistry> start)
    {
        var section = ConfigurationFactory.ParseString(options.ToHocon(path));
        var configured = ConfiguredClients.Of(builder);
        configured.Add(name, registryKey);
        builder.AddHocon(section, HoconAddMode.Prepend);
        if (configured.TakeDefaults()) builder.AddHocon(CouchbaseExtension.DefaultConfig, HoconAddMode.Append);
        return builder.WithActors(start);
    }
}
