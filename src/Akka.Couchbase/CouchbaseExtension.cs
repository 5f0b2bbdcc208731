using Akka.Actor;
using Akka.Configuration;
using Akka.Couchbase.Actors;
using Akka.Couchbase.Transcoding;

namespace Akka.Couchbase;

/// <summary>
/// The Akka.NET extension that owns the client: it injects HOCON/reference.conf as a fallback (once), and creates
/// one <see cref="ClusterSupervisor"/> for the configuration under <c>akka.couchbase</c>, reachable as
/// <see cref="Supervisor"/> (messages, the fast path) and <see cref="Client"/> (Tasks, the convenient path).
/// More clients (other clusters or buckets) come from <see cref="CreateClient"/>.
/// </summary>
public sealed class CouchbaseExtension : IExtension
{
    private static readonly Lazy<Config> Defaults = new(() =>
        ConfigurationFactory.FromResource<CouchbaseExtension>("Akka.Couchbase.reference.conf"));
    private readonly ExtendedActorSystem _system;
    private readonly Lazy<CouchbaseClient> _default;

    /// <summary>The reference configuration embedded in this assembly.</summary>
    public static Config DefaultConfig => Defaults.Value;

    /// <summary>Created by Akka.NET through <see cref="CouchbaseExtensionProvider"/>.</summary>
    public CouchbaseExtension(ExtendedActorSystem system)
    {
        _system = system;
        InjectDefaults(system);
        _default = new Lazy<CouchbaseClient>(() =>
            CreateClient(CouchbaseSettings.Create(system.Settings.Config.GetConfig(CouchbaseSettings.ConfigPath)), "couchbase"));
    }

    /// <summary>The extension of <paramref name="system"/>.</summary>
    public static CouchbaseExtension Get(ActorSystem system) => system.WithExtension<CouchbaseExtension, CouchbaseExtensionProvider>();

    /// <summary>The client configured under <c>akka.couchbase</c> (created on first use).</summary>
    public CouchbaseClient Client => _default.Value;

    /// <summary>The supervisor actor of the default client: Tell or Ask it <see cref="Kv"/> commands.</summary>
    public IActorRef Supervisor => Client.Supervisor;

    /// <summary>Creates another client (another cluster or bucket) as a top-level actor named <paramref name="name"/>.</summary>
    public CouchbaseClient CreateClient(CouchbaseSettings settings, string name, ITranscoder? transcoder = null)
    {
        transcoder ??= DefaultTranscoder.Instance;
        // The map tracker subscribes before the supervisor exists, so it sees the first map.
        var holder = new ClusterMapTracker.Holder();
        var tracker = _system.SystemActorOf(
            ClusterMapTracker.Props(_system.Guardian.Path.Root / "system" / name, holder), name + "-maps");
        _system.EventStream.Subscribe(tracker, typeof(ClusterMapChanged));
        var supervisor = _system.SystemActorOf(ClusterSupervisor.Props(settings.Validated(), transcoder), name);
        UndeliveredCommands.Attach(_system, supervisor);
        var client = new CouchbaseClient(supervisor, settings, _system);
        client.Track(holder);
        return client;
    }

    private static readonly object InjectLock = new();

    internal static void InjectDefaults(ActorSystem system)
    {
        lock (InjectLock)
        {
            if (system.Settings.Config.HasPath("akka.couchbase.max-response-body")) return;
            system.Settings.InjectTopLevelFallback(DefaultConfig);
        }
    }
}

/// <summary>Registers <see cref="CouchbaseExtension"/> with an actor system.</summary>
public sealed class CouchbaseExtensionProvider : ExtensionIdProvider<CouchbaseExtension>
{
    /// <inheritdoc />
    public override CouchbaseExtension CreateExtension(ExtendedActorSystem system) => new(system);
}
