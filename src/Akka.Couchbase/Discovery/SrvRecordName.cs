using System.Net;

namespace Akka.Couchbase.Discovery;

/// <summary>
/// Which connection strings are looked up in DNS SRV, and under what name (RFC 0011 of the Couchbase SDKs): the
/// scheme <c>couchbase://</c> or <c>couchbases://</c>, exactly one host, no port and no mode. An IP literal or
/// <c>localhost</c> has no SRV record to find, so it is never looked up.
/// </summary>
internal static class SrvRecordName
{
    /// <summary>The service prefix for plain KV.</summary>
    public const string Plain = "_couchbase._tcp.";

    /// <summary>The service prefix for KV over TLS.</summary>
    public const string Tls = "_couchbases._tcp.";

    /// <summary>The record to look up for a connection string's single host, or null if the host is not looked up.</summary>
    public static string? For(string host, bool tls)
    {
        var name = host.TrimEnd('.');
        if (name.Length == 0 || IPAddress.TryParse(name, out _)) return null;
        if (string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)) return null;
        if (name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)) return null; // RFC 6761: always loopback
        return (tls ? Tls : Plain) + name;
    }
}
