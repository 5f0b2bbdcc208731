using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Couchbase.Actors;
using Akka.Couchbase.Transcoding;

namespace Akka.Couchbase;

/// <summary>
/// The Akka.NET extension that owns the clients of an actor system. When it starts (once per system) it injects
/// HOCON/reference.conf (<see cref="DefaultConfig"/>) as a fallback of the system's configuration, whatever the
/// application's HOCON already sets, so every <c>akka.couchbase</c> key has a value. When the application leaves
/// <c>akka.io.tcp.maximum-frame-size</c> at Akka's default (4 KiB), it also injects 64 KiB frames with 128 KiB socket
/// buffers for Akka.IO TCP, the default transport (HOCON/reference.conf, at its end, says why and when).
/// <para>
/// The default client is configured under <c>akka.couchbase</c> and reachable as <see cref="Client"/> (Tasks, the
/// convenient path) and <see cref="Supervisor"/> (messages, the fast path). Named clients (other clusters or
/// buckets) are configured under <c>akka.couchbase.clients.&lt;name&gt;</c>, with <c>akka.couchbase</c> as their
/// fallback, and reachable with <see cref="GetClient"/>; <see cref="CreateClient"/> adds one from settings built in
/// code. Each client is created on first use, and a name stands for one client only.
/// </para>
/// </summary>
public sealed class CouchbaseExtension : IExtension
{
    /// <summary>The name of the default client (<c>akka.couchbase</c>); <see cref="GetClient"/> returns <see cref="Client"/> for it.</summary>
    public const string DefaultClientName = "couchbase";

    /// <summary>The HOCON path under which each named client has a section, <c>akka.couchbase.clients.&lt;name&gt;</c>.</summary>
    public const string ClientsConfigPath = CouchbaseSettings.ConfigPath + ".clients";

    private static readonly Lazy<Config> Defaults = new(() =>
        ConfigurationFactory.FromResource<CouchbaseExtension>("Akka.Couchbase.reference.conf"));
    private static readonly Regex ConfigName = new("^[A-Za-z0-9][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant);

    private readonly ExtendedActorSystem _system;
    private readonly Lazy<CouchbaseClient> _default;
    private readonly object _clientsLock = new();
    private readonly Dictionary<string, CouchbaseClient> _clients = new(StringComparer.Ordinal);

    /// <summary>The reference configuration embedded in this assembly.</summary>
    public static Config DefaultConfig => Defaults.Value;

    /// <summary>Created by Akka.NET through <see cref="CouchbaseExtensionProvider"/>, once per actor system.</summary>
    public CouchbaseExtension(ExtendedActorSystem system)
    {
        _system = system ?? throw new ArgumentNullException(nameof(system));
        // Unconditionally: a section that sets some keys keeps every other default. Akka.NET creates an extension
        // once per system, so the fallback is added once per system.
        system.Settings.InjectTopLevelFallback(DefaultConfig);
        if (Transport.AkkaIoDefaults.Inject(system) is { } warning) system.Log.Warning(warning);
        _default = new Lazy<CouchbaseClient>(() => Start(
            CouchbaseSettings.Create(system.Settings.Config.GetConfig(CouchbaseSettings.ConfigPath)), DefaultClientName, null));
    }

    /// <summary>The extension of <paramref name="system"/>.</summary>
    public static CouchbaseExtension Get(ActorSystem system) => system.WithExtension<CouchbaseExtension, CouchbaseExtensionProvider>();

    /// <summary>The client configured under <c>akka.couchbase</c> (created on first use).</summary>
    public CouchbaseClient Client => _default.Value;

    /// <summary>The supervisor actor of the default client: Tell or Ask it <see cref="Kv"/> commands.</summary>
    public IActorRef Supervisor => Client.Supervisor;

    /// <summary>
    /// The names <see cref="GetClient"/> knows: <see cref="DefaultClientName"/>, every section under
    /// <c>akka.couchbase.clients</c>, and every client made with <see cref="CreateClient"/>.
    /// </summary>
    public IReadOnlyCollection<string> ClientNames
    {
        get
        {
            lock (_clientsLock) return KnownNames();
        }
    }

    /// <summary>
    /// The client named <paramref name="name"/>: the default one for <see cref="DefaultClientName"/>, one made with
    /// <see cref="CreateClient"/>, or else the one configured at <c>akka.couchbase.clients.&lt;name&gt;</c> (keys it
    /// does not set come from <c>akka.couchbase</c>, then the reference), created on first use as the system actor
    /// <c>couchbase-&lt;name&gt;</c>. Every call with one name returns the same client.
    /// </summary>
    /// <exception cref="ArgumentException">No client has that name (the message lists the known ones), or its
    /// settings are bad (the message names the key).</exception>
    public CouchbaseClient GetClient(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == DefaultClientName) return Client;
        lock (_clientsLock)
        {
            if (_clients.TryGetValue(name, out var existing)) return existing;
            if (!ConfiguredNames().Contains(name))
                throw new ArgumentException(
                    $"no Couchbase client is named '{name}' in actor system '{_system.Name}': configure it at " +
                    $"{ClientsConfigPath}.{name} or create it with CreateClient; known names: {string.Join(", ", KnownNames())}",
                    nameof(name));
            var client = Start(NamedSettings(name), DefaultClientName + "-" + name, null);
            _clients.Add(name, client);
            return client;
        }
    }

    /// <summary>
    /// Creates another client (another cluster or bucket) from <paramref name="settings"/>, as the system actor
    /// named <paramref name="name"/>; <see cref="GetClient"/> returns it by that name afterwards.
    /// </summary>
    /// <exception cref="ArgumentException">The name is <see cref="DefaultClientName"/> or another client's.</exception>
    public CouchbaseClient CreateClient(CouchbaseSettings settings, string name, ITranscoder? transcoder = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(name);
        if (name == DefaultClientName)
            throw new ArgumentException($"'{DefaultClientName}' names the default client ({CouchbaseSettings.ConfigPath}); choose another name", nameof(name));
        lock (_clientsLock)
        {
            if (_clients.ContainsKey(name))
                throw new ArgumentException($"a Couchbase client named '{name}' already exists in actor system '{_system.Name}'", nameof(name));
            var client = Start(settings, name, transcoder);
            _clients.Add(name, client);
            return client;
        }
    }

    /// <summary>Makes sure the reference defaults are in the system's configuration (by starting the extension).</summary>
    internal static void InjectDefaults(ActorSystem system) => Get(system);

    private CouchbaseClient Start(CouchbaseSettings settings, string actorName, ITranscoder? transcoder)
    {
        settings = settings.Validated();
        transcoder ??= DefaultTranscoder.Instance;
        // The map tracker subscribes before the supervisor exists, so it sees the first map.
        var holder = new ClusterMapTracker.Holder();
        IActorRef tracker, supervisor;
        try
        {
            tracker = _system.SystemActorOf(
                ClusterMapTracker.Props(_system.Guardian.Path.Root / "system" / actorName, holder), actorName + "-maps");
            _system.EventStream.Subscribe(tracker, typeof(ClusterMapChanged));
            supervisor = _system.SystemActorOf(ClusterSupervisor.Props(settings, transcoder), actorName);
        }
        catch (InvalidActorNameException e)
        {
            throw new ArgumentException(
                $"a Couchbase client cannot be started as the system actor '{actorName}': {e.Message}", nameof(actorName), e);
        }
        UndeliveredCommands.Attach(_system, supervisor);
        var client = new CouchbaseClient(supervisor, settings, _system);
        client.Track(holder);
        return client;
    }

    /// <summary>The settings at <c>akka.couchbase.clients.&lt;name&gt;</c> over <c>akka.couchbase</c>; a bad key is named where it was read.</summary>
    private CouchbaseSettings NamedSettings(string name)
    {
        var config = _system.Settings.Config;
        var section = config.GetConfig(ClientsConfigPath + "." + name) ?? Config.Empty;
        // The default client's connection string names its own servers and bucket: a named client does not inherit it.
        if (!section.HasPath("connection-string"))
            section = ConfigurationFactory.ParseString("connection-string = \"\"").WithFallback(section);
        try
        {
            return CouchbaseSettings.Create(section.WithFallback(config.GetConfig(CouchbaseSettings.ConfigPath)));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(Located(e.Message, name, section), e);
        }
    }

    /// <summary>
    /// Settings name a bad key as <c>akka.couchbase.&lt;key&gt;</c>; for a named client that is where the value came
    /// from only if its own section does not set it.
    /// </summary>
    private static string Located(string message, string name, Config section)
    {
        var prefix = CouchbaseSettings.ConfigPath + ".";
        if (!message.StartsWith(prefix, StringComparison.Ordinal))
            return $"Couchbase client '{name}': {message}";
        var end = message.IndexOf(' ', prefix.Length);
        var key = end < 0 ? message.Substring(prefix.Length) : message.Substring(prefix.Length, end - prefix.Length);
        return key.Length > 0 && section.HasPath(key)
            ? $"{ClientsConfigPath}.{name}.{message.Substring(prefix.Length)}"
            : $"{message} (inherited by the Couchbase client '{name}', whose {ClientsConfigPath}.{name} does not set it)";
    }

    private HashSet<string> ConfiguredNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var clients = _system.Settings.Config.GetConfig(ClientsConfigPath);
        if (clients?.Root?.GetObject() is { } section)
            foreach (var (name, value) in section.Items)
                if (ConfigName.IsMatch(name) && value.IsObject())
                    names.Add(name);
        return names;
    }

    /// <summary>Called under the clients' lock.</summary>
    private SortedSet<string> KnownNames() =>
        new(ConfiguredNames().Concat(_clients.Keys).Append(DefaultClientName), StringComparer.Ordinal);
}

/// <summary>Registers <see cref="CouchbaseExtension"/> with an actor system.</summary>
public sealed class CouchbaseExtensionProvider : ExtensionIdProvider<CouchbaseExtension>
{
    /// <inheritdoc />
    public override CouchbaseExtension CreateExtension(ExtendedActorSystem system) => new(system);
}
