using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Akka.Hosting;

namespace Akka.Couchbase.Hosting;

/// <summary>
/// What <c>WithCouchbase</c> has configured on one <see cref="AkkaConfigurationBuilder"/>: the client names and
/// ActorRegistry keys taken (each may be used once), and whether the reference defaults were appended.
/// </summary>
internal sealed class ConfiguredClients
{
    private static readonly ConditionalWeakTable<AkkaConfigurationBuilder, ConfiguredClients> ByBuilder = new();
    // The names CouchbaseExtension reads under akka.couchbase.clients: one plain HOCON key each.
    private static readonly Regex ClientName = new("^[A-Za-z0-9][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant);

    private readonly Dictionary<Type, string> _clientByKey = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private bool _defaultsAppended;

    public static ConfiguredClients Of(AkkaConfigurationBuilder builder) => ByBuilder.GetOrCreateValue(builder);

    /// <summary>Throws unless <paramref name="name"/> can name a client section.</summary>
    public static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == CouchbaseExtension.DefaultClientName)
            throw new ArgumentException(
                $"'{name}' names the default client: configure it with WithCouchbase(options), without a name", nameof(name));
        if (!ClientName.IsMatch(name))
            throw new ArgumentException(
                $"'{name}' cannot name a Couchbase client: use letters, digits, '-' and '_' (it becomes the HOCON key " +
                $"{CouchbaseExtension.ClientsConfigPath}.<name>)", nameof(name));
    }

    /// <summary>Takes <paramref name="name"/> and, if given, the registry key <paramref name="registryKey"/> for one client.</summary>
    public void Add(string name, Type? registryKey)
    {
        var shown = name == CouchbaseExtension.DefaultClientName ? "the default Couchbase client" : $"the Couchbase client '{name}'";
        if (_names.Contains(name))
            throw new ArgumentException($"WithCouchbase: {shown} is already configured on this actor system", nameof(name));
        if (registryKey is not null && _clientByKey.TryGetValue(registryKey, out var other))
            throw new ArgumentException(
                $"WithCouchbase: the ActorRegistry key {registryKey.Name} is already the supervisor of " +
                (other == CouchbaseExtension.DefaultClientName ? "the default Couchbase client" : $"the Couchbase client '{other}'"),
                nameof(registryKey));
        _names.Add(name);
        if (registryKey is not null) _clientByKey[registryKey] = name;
    }

    /// <summary>True the first time only: the defaults go into the builder's HOCON once.</summary>
    public bool TakeDefaults()
    {
        if (_defaultsAppended) return false;
        _defaultsAppended = true;
        return true;
    }
}
