using System.Globalization;
using System.Net;
using Akka.Configuration;
using Akka.Couchbase.Routing;

namespace Akka.Couchbase;

/// <summary>
/// DNS SRV discovery of the seed nodes (<c>akka.couchbase.dns-srv</c>, <c>docs/dns-srv.md</c>). A connection string
/// with one host name, no port and no mode (<c>couchbase://cb.example.com</c>) is first looked up as the SRV record
/// <c>_couchbase._tcp.cb.example.com</c> (<c>_couchbases._tcp.</c> for <c>couchbases://</c>); the records' targets and
/// ports become the seeds (KV ports). A lookup that finds nothing (no such name, no records, no answer in time, no
/// name server) leaves the name itself as the seed, on the default port.
/// </summary>
public sealed record DnsSrvSettings
{
    /// <summary>The defaults: on, the system's name servers, 2 s; no record to look up.</summary>
    public static readonly DnsSrvSettings Default = new();

    /// <summary>Whether a connection string that allows it is looked up (<c>enabled</c>, connection-string option <c>srv</c>).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// The name server asked, as <c>ip</c> or <c>ip:port</c> (<c>[ipv6]:port</c>); empty: the system's resolvers
    /// (<c>/etc/resolv.conf</c>, or the network adapters' on Windows).
    /// </summary>
    public string NameServer { get; init; } = "";

    /// <summary>How long one lookup may take in all before the client goes on without it.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// While no seed yields a cluster map, the lookup is made again once every seed has failed, but not more often
    /// than this (the seeds may have moved since the last lookup).
    /// </summary>
    public TimeSpan ReResolveInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The SRV record the connection string stands for (<c>_couchbase._tcp.host</c>), or null when it names no single
    /// host that may be looked up (several hosts, a port, a mode, an IP literal, <c>localhost</c>, no connection string).
    /// </summary>
    public string? RecordName { get; init; }

    /// <summary>True when the client looks up <see cref="RecordName"/> before it bootstraps.</summary>
    public bool LooksUp => Enabled && RecordName is not null;

    /// <summary><see cref="NameServer"/> as an address; null for the system's resolvers.</summary>
    internal IPEndPoint? NameServerEndPoint => ParseNameServer(NameServer, "name-server");

    /// <summary>Reads a <c>dns-srv</c> section (<paramref name="key"/> names it in errors).</summary>
    internal static DnsSrvSettings Read(Config section, string? recordName, string key)
    {
        var settings = new DnsSrvSettings
        {
            Enabled = HoconValues.Switch(section, "enabled", $"{key}.enabled"),
            NameServer = (section.GetString("name-server") ?? "").Trim(),
            Timeout = HoconValues.Duration(section, "timeout", $"{key}.timeout"),
            ReResolveInterval = HoconValues.Duration(section, "re-resolve-interval", $"{key}.re-resolve-interval"),
            RecordName = recordName,
        };
        if (settings.Timeout <= TimeSpan.Zero) throw new ArgumentException($"{key}.timeout must be positive, was {settings.Timeout}");
        if (settings.ReResolveInterval < TimeSpan.Zero)
            throw new ArgumentException($"{key}.re-resolve-interval must not be negative, was {settings.ReResolveInterval}");
        ParseNameServer(settings.NameServer, $"{key}.name-server");
        return settings;
    }

    /// <summary><c>ip</c>, <c>ip:port</c> or <c>[ipv6]:port</c> (port 53 by default); empty is null.</summary>
    private static IPEndPoint? ParseNameServer(string text, string key)
    {
        if (text.Length == 0) return null;
        var colons = text.Count(c => c == ':');
        var withPort = text.StartsWith('[') ? !text.EndsWith(']') : colons == 1; // more colons: a bare IPv6 literal
        if (!withPort && IPAddress.TryParse(HostPort.Unbracket(text), out var bare)) return new IPEndPoint(bare, 53);
        if (withPort && HostPort.TryParse(text, out var host, out var port) && IPAddress.TryParse(host, out var address))
            return new IPEndPoint(address, port);
        throw new ArgumentException(
            $"{key} is '{text}'; it is an IP address with an optional port (\"10.0.0.2\", \"127.0.0.1:5353\", " +
            "\"[::1]:53\"), or empty for the system's name servers");
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"DnsSrvSettings(enabled={Enabled}, record={RecordName ?? "<none>"}, " +
        $"name-server={(NameServer.Length == 0 ? "<system>" : NameServer)}, " +
        $"timeout={Timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms)";
}
