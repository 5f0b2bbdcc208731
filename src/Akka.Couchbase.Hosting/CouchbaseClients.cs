using Akka.Actor;

namespace Akka.Couchbase.Hosting;

/// <summary>
/// Every Couchbase client of the application's actor system, by name: inject it (registered by
/// <see cref="CouchbaseHostingExtensions.AddCouchbaseClient(Microsoft.Extensions.DependencyInjection.IServiceCollection)"/>
/// and its named overload) where a component picks its client at run time; for a fixed one, inject
/// <see cref="CouchbaseClient"/> (the default) or <c>[FromKeyedServices("name")] CouchbaseClient</c>.
/// </summary>
public sealed class CouchbaseClients
{
    private readonly CouchbaseExtension _extension;

    /// <summary>The clients of <paramref name="system"/>.</summary>
    public CouchbaseClients(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        _extension = CouchbaseExtension.Get(system);
    }

    /// <summary>The default client (<c>akka.couchbase</c>).</summary>
    public CouchbaseClient Default => _extension.Client;

    /// <summary>The client named <paramref name="name"/>; see <see cref="CouchbaseExtension.GetClient"/>.</summary>
    /// <exception cref="ArgumentException">No client has that name (the message lists the known ones).</exception>
    public CouchbaseClient this[string name] => _extension.GetClient(name);

    /// <summary>The names a client can be asked for: the default one's, and every configured or created one's.</summary>
    public IReadOnlyCollection<string> Names => _extension.ClientNames;
}
