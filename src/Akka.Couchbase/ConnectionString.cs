using System.Globalization;
using System.Text;
using Akka.Configuration;
using Akka.Couchbase.Routing;
using Newtonsoft.Json;

namespace Akka.Couchbase;

/// <summary>
/// A Couchbase connection string (<c>akka.couchbase.connection-string</c>), as every official SDK takes it:
/// <c>couchbase://host1,host2:11210,[::1]=mcd,host3:8091=http/bucket?option=value&amp;...</c>. <c>couchbases://</c>
/// turns TLS on (default KV port 11207 instead of 11210). A host's mode is <c>mcd</c> (a KV seed, the default) or
/// <c>http</c> (a cluster-manager seed for HTTP bootstrap); the path names the bucket; each option is either an
/// <c>akka.couchbase</c> key (<c>operation-timeout=2500ms</c>, <c>tls.verify-host-name=off</c>) or one of the SDKs'
/// common names (<see cref="Aliases"/>). It is read into the settings it names, over the section's own keys.
/// One host name with no port and no mode (<c>couchbase://cb.example.com</c>) is first looked up in DNS SRV
/// (<see cref="SrvRecordName"/>, <c>docs/dns-srv.md</c>); <see cref="KvHosts"/> then holds the fallback.
/// </summary>
internal sealed class ConnectionString
{
    /// <summary>The SDKs' option names this client understands, and the key each sets.</summary>
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["kv_timeout"] = "operation-timeout",
        ["kv_connect_timeout"] = "connect-timeout",
        ["config_poll_interval"] = "config-poll-interval",
        ["certpath"] = "tls.trusted-certificates",
        ["truststorepath"] = "tls.trusted-certificates",
        ["keypath"] = "tls.client-key",
        ["tls_verify"] = "tls.allow-insecure",
        ["user_agent"] = "user-agent",
        ["srv"] = "dns-srv.enabled",
    };

    /// <summary>Keys the connection string itself stands for: an option may not set them.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "servers", "bucket", "connection-string", "http-bootstrap.servers", "tls.enabled", "clients",
    };

    private readonly string _key;

    private ConnectionString(string key) => _key = key;

    /// <summary>True for <c>couchbases://</c>.</summary>
    public bool Tls { get; private set; }
    /// <summary>KV seeds, as "host:port".</summary>
    public List<string> KvHosts { get; } = new();
    /// <summary>Cluster-manager seeds (<c>=http</c>), as "host:port".</summary>
    public List<string> HttpHosts { get; } = new();
    /// <summary>The bucket named by the path, if any.</summary>
    public string? Bucket { get; private set; }
    /// <summary>
    /// The DNS SRV record the single host stands for (<c>_couchbase._tcp.host</c>, <c>_couchbases._tcp.host</c> for
    /// TLS), or null: a lookup needs a couchbase(s):// scheme and exactly one host, with no port and no mode, that is
    /// neither an IP literal nor <c>localhost</c>. Whether it is looked up is <c>dns-srv.enabled</c> (option <c>srv</c>).
    /// </summary>
    public string? SrvRecordName { get; private set; }
    /// <summary>Settings set by options, by <c>akka.couchbase</c> key, as HOCON values.</summary>
    public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="text"/>; <paramref name="key"/> is where it was read, for messages.</summary>
    /// <exception cref="ArgumentException">It is not a connection string this client can use (the message says why).</exception>
    public static ConnectionString Parse(string text, string key = CouchbaseSettings.ConfigPath + ".connection-string")
    {
        var parsed = new ConnectionString(key);
        parsed.Read(text.Trim());
        return parsed;
    }

    /// <summary>The settings it stands for, as a section to lay over <c>akka.couchbase</c>.</summary>
    public Config ToConfig()
    {
        var hocon = new StringBuilder();
        var kv = KvHosts.Count > 0 ? KvHosts : HttpHosts.Select(h => HostPort.Format(HostOf(h), Tls ? 11207 : 11210)).ToList();
        hocon.Append("servers = [").Append(string.Join(", ", kv.Select(Quote))).Append("]\n");
        if (HttpHosts.Count > 0)
            hocon.Append("http-bootstrap { enabled = on\nservers = [").Append(string.Join(", ", HttpHosts.Select(Quote))).Append("] }\n");
        if (Bucket is not null) hocon.Append("bucket = ").Append(Quote(Bucket)).Append('\n');
        if (Tls) hocon.Append("tls.enabled = on\n");
        foreach (var (setting, value) in Settings) hocon.Append(setting).Append(" = ").Append(value).Append('\n');
        return ConfigurationFactory.ParseString(hocon.ToString());
    }

    private void Read(string text)
    {
        if (text.Length == 0) throw Bad("is empty");
        var rest = text;
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            var scheme = text.Substring(0, schemeEnd).ToLowerInvariant();
            Tls = scheme switch
            {
                "couchbase" => false,
                "couchbases" => true,
                "http" or "https" => throw Bad($"has the scheme '{scheme}://': write couchbase:// (or couchbases:// for TLS) " +
                                               "with the nodes' addresses; the client finds the cluster manager itself"),
                _ => throw Bad($"has the scheme '{scheme}://'; the schemes are couchbase:// and couchbases:// (TLS)"),
            };
            rest = text.Substring(schemeEnd + 3);
        }
        string? query = null;
        var q = rest.IndexOf('?');
        if (q >= 0)
        {
            query = rest.Substring(q + 1);
            rest = rest.Substring(0, q);
        }
        var slash = rest.IndexOf('/');
        if (slash >= 0)
        {
            var bucket = Uri.UnescapeDataString(rest.Substring(slash + 1)).TrimEnd('/');
            if (bucket.Contains('/')) throw Bad($"names the bucket '{bucket}': a bucket name has no '/'");
            if (bucket.Length > 0) Bucket = bucket;
            rest = rest.Substring(0, slash);
        }
        var parts = rest.Split(new[] { ',', ';' }, StringSplitOptions.TrimEntries);
        foreach (var part in parts)
        {
            if (part.Length == 0) throw Bad("has an empty host (two commas in a row, or a trailing comma)");
            ReadHost(part);
        }
        if (schemeEnd >= 0 && parts.Length == 1 && !parts[0].Contains('=') && TrySplit(parts[0], out var single, out var port) && port is null)
            SrvRecordName = Discovery.SrvRecordName.For(single, Tls);
        if (query is not null) ReadOptions(query);
    }

    private void ReadHost(string part)
    {
        var mode = "mcd";
        var eq = part.LastIndexOf('=');
        var address = part;
        if (eq >= 0)
        {
            mode = part.Substring(eq + 1).ToLowerInvariant();
            address = part.Substring(0, eq);
        }
        if (!TrySplit(address, out var host, out var port))
            throw Bad($"has the host '{part}', which is not host, host:port, [IPv6] or [IPv6]:port (ports 1 to 65535)");
        switch (mode)
        {
            case "mcd":
                if (port is 8091 or 18091)
                    throw Bad($"names {address}: {port} is the cluster manager's HTTP port, but hosts of a connection string are " +
                              $"KV ports ({(Tls ? 11207 : 11210)}, or none); write {HostOf(address)} alone, or {address}=http for an HTTP seed");
                KvHosts.Add(HostPort.Format(host, port ?? (Tls ? 11207 : 11210)));
                break;
            case "http":
                HttpHosts.Add(HostPort.Format(host, port ?? (Tls ? 18091 : 8091)));
                break;
            default:
                throw Bad($"gives the host '{address}' the mode '{mode}'; the modes are mcd (KV, the default) and http");
        }
    }

    private void ReadOptions(string query)
    {
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair.Substring(0, eq));
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair.Substring(eq + 1).Replace('+', ' '));
            if (name is "certpath" or "truststorepath" or "keypath")
            {
                paths[name] = value;
                continue;
            }
            if (Aliases.TryGetValue(name, out var setting))
            {
                Settings[setting] = AliasValue(name, setting, value);
                continue;
            }
            if (Reserved.Contains(name))
                throw Bad($"sets '{name}' as an option; the connection string's hosts, path and scheme stand for it");
            if (!CouchbaseExtension.DefaultConfig.HasPath(CouchbaseSettings.ConfigPath + "." + name))
                throw Bad($"has the option '{name}', which is not known: use an akka.couchbase key (e.g. " +
                          $"operation-timeout=2500ms, tls.verify-host-name=off) or one of {string.Join(", ", Aliases.Keys)}");
            Settings[name] = Quote(value);
        }
        ReadCertificatePaths(paths);
    }

    /// <summary>
    /// As libcouchbase reads them: without <c>keypath</c>, <c>certpath</c> (or <c>truststorepath</c>) is the CA to
    /// trust; with <c>keypath</c> (the client's private key), <c>certpath</c> is the client's certificate and
    /// <c>truststorepath</c> the CA.
    /// </summary>
    private void ReadCertificatePaths(Dictionary<string, string> paths)
    {
        paths.TryGetValue("certpath", out var cert);
        paths.TryGetValue("truststorepath", out var trust);
        if (paths.TryGetValue("keypath", out var key))
        {
            if (string.IsNullOrEmpty(cert))
                throw Bad("has keypath (the client's private key) without certpath (the client's certificate)");
            Settings["tls.client-certificate"] = Quote(cert);
            Settings["tls.client-key"] = Quote(key);
            cert = null;
        }
        if ((trust ?? cert) is { Length: > 0 } ca) Settings["tls.trusted-certificates"] = "[" + Quote(ca) + "]";
    }

    /// <summary>The SDKs give timeouts in milliseconds (a bare number) or as a duration; paths as one file.</summary>
    private string AliasValue(string name, string setting, string value)
    {
        switch (setting)
        {
            case "tls.trusted-certificates":
                return "[" + Quote(value) + "]";
            case "dns-srv.enabled":
                return value.ToLowerInvariant() switch
                {
                    "true" or "on" or "yes" or "1" => "on",
                    "false" or "off" or "no" or "0" => "off",
                    _ => throw Bad($"has srv={value}; it is true or false (look the host up in DNS SRV or not)"),
                };
            case "tls.allow-insecure":
                return value.ToLowerInvariant() switch
                {
                    "none" => "on",
                    "peer" => "off",
                    _ => throw Bad($"has tls_verify={value}; it is none (accept any certificate) or peer (check it)"),
                };
            case "operation-timeout" or "connect-timeout" or "config-poll-interval":
                return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                    ? Quote(ms.ToString(CultureInfo.InvariantCulture) + "ms")
                    : Quote(value);
            default:
                return Quote(value);
        }
    }

    /// <summary>host, host:port, [IPv6], [IPv6]:port, or a bare IPv6 literal (no port).</summary>
    private static bool TrySplit(string address, out string host, out int? port)
    {
        host = "";
        port = null;
        string? portText = null;
        if (address.StartsWith('['))
        {
            var close = address.IndexOf(']');
            if (close < 2) return false;
            host = address.Substring(1, close - 1);
            var after = address.Substring(close + 1);
            if (after.Length > 0)
            {
                if (after[0] != ':') return false;
                portText = after.Substring(1);
            }
        }
        else if (address.IndexOf(':') is var colon and >= 0 && address.LastIndexOf(':') == colon)
        {
            host = address.Substring(0, colon);
            portText = address.Substring(colon + 1);
        }
        else if (address.Contains(':'))
        {
            if (!System.Net.IPAddress.TryParse(address, out _)) return false;
            host = address; // a bare IPv6 literal
        }
        else
        {
            host = address;
        }
        if (host.Length == 0 || host.Any(char.IsWhiteSpace)) return false;
        if (portText is null) return true;
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535) return false;
        port = p;
        return true;
    }

    private static string HostOf(string address) =>
        TrySplit(address, out var host, out _) ? HostPort.Bracket(host) : address;

    /// <summary>A HOCON quoted string (HOCON's quoted strings are JSON's).</summary>
    private static string Quote(string value) => JsonConvert.ToString(value);

    private ArgumentException Bad(string what) => new($"{_key} {what}");
}
