using System.Globalization;
using System.Text;
using Akka.Configuration;

namespace Akka.Couchbase.Hosting;

/// <summary>
/// The common settings of one client, set from code and rendered as its HOCON section (<c>akka.couchbase</c> for the
/// default client, <c>akka.couchbase.clients.&lt;name&gt;</c> for a named one). Each property left null keeps the
/// value from HOCON (the application's, else <c>akka.couchbase</c> for a named client, else HOCON/reference.conf);
/// anything else goes in <see cref="Hocon"/>. Values are checked when the client starts, with a message naming the key.
/// </summary>
public sealed class CouchbaseOptions
{
    /// <summary>Seed nodes as "host" or "host:port" (<c>servers</c>).</summary>
    public IReadOnlyList<string>? Servers { get; set; }
    /// <summary>
    /// A connection string (<c>connection-string</c>), e.g. <c>couchbases://cb.example.com/travel</c>: it stands for
    /// the servers, bucket, TLS and options it names (see HOCON/reference.conf).
    /// </summary>
    public string? ConnectionString { get; set; }
    /// <summary>Bucket to open (<c>bucket</c>).</summary>
    public string? Bucket { get; set; }
    /// <summary>Bucket type (<c>bucket-type</c>).</summary>
    public BucketType? BucketType { get; set; }
    /// <summary>RBAC user (<c>username</c>).</summary>
    public string? Username { get; set; }
    /// <summary>Its password (<c>password</c>).</summary>
    public string? Password { get; set; }
    /// <summary>Default operation deadline (<c>operation-timeout</c>).</summary>
    public TimeSpan? OperationTimeout { get; set; }
    /// <summary>How plain connections are made (<c>transport</c>): Akka.IO, or the client's own socket (docs/tuning.md).</summary>
    public KvTransport? Transport { get; set; }
    /// <summary>TLS to every service (<c>tls.enabled</c>); a <c>couchbases://</c> connection string turns it on too.</summary>
    public bool? EnableTls { get; set; }
    /// <summary>PEM files of the CA certificates to trust instead of the system store (<c>tls.trusted-certificates</c>).</summary>
    public IReadOnlyList<string>? TrustedCertificates { get; set; }
    /// <summary>A client certificate for mutual TLS, PEM or PKCS#12 (<c>tls.client-certificate</c>).</summary>
    public string? ClientCertificate { get; set; }
    /// <summary>The PEM private key of a PEM <see cref="ClientCertificate"/> (<c>tls.client-key</c>).</summary>
    public string? ClientKey { get; set; }
    /// <summary>Password of the PKCS#12 file or encrypted PEM key (<c>tls.client-certificate-password</c>); never shown.</summary>
    public string? ClientCertificatePassword { get; set; }
    /// <summary>The slow-operation report every threshold interval (<c>observability.threshold-logging</c>; docs/observability.md).</summary>
    public bool? ThresholdLogging { get; set; }
    /// <summary>How often the slow-operation and orphan reports are logged (<c>observability.threshold-interval</c>).</summary>
    public TimeSpan? ThresholdInterval { get; set; }
    /// <summary>A KV operation slower than this is reported (<c>observability.kv-threshold</c>).</summary>
    public TimeSpan? KvThreshold { get; set; }
    /// <summary>A view query slower than this is reported (<c>observability.views-threshold</c>).</summary>
    public TimeSpan? ViewsThreshold { get; set; }
    /// <summary>The orphaned-response report (<c>observability.orphan-logging</c>).</summary>
    public bool? OrphanLogging { get; set; }
    /// <summary>
    /// Large Get values in pooled arrays (<c>value-pooling.enabled</c>): dispose each <see cref="GetResult"/> once done
    /// with its value (see <see cref="ValuePoolingSettings"/>).
    /// </summary>
    public bool? PooledValues { get; set; }
    /// <summary>The least body, in bytes, kept in a pooled array (<c>value-pooling.min-size</c>; at least 1).</summary>
    public int? PooledValuesMinSize { get; set; }

    /// <summary>
    /// More of the client's section as HOCON, with keys relative to it, e.g. <c>"max-backlog = 1000"</c>; the
    /// properties above win. It must be HOCON on its own (balanced braces, brackets and quotes): it is checked, then
    /// placed on lines of its own inside the section, so a trailing comment or a missing newline cannot reach the
    /// rest of the configuration.
    /// </summary>
    public string? Hocon { get; set; }

    /// <summary>The <c>akka.couchbase { ... }</c> HOCON these options stand for (the default client's section).</summary>
    /// <exception cref="ArgumentException"><see cref="Hocon"/> is not HOCON on its own, a server is null, a timeout
    /// or threshold is negative, the threshold interval is not positive, or the pooled values' minimum size is below 1.</exception>
    public string ToHocon() => ToHocon(CouchbaseSettings.ConfigPath);

    /// <summary>The options as the section at <paramref name="path"/>.</summary>
    internal string ToHocon(string path)
    {
        var hocon = new StringBuilder(path).Append(" {\n");
        if (Hocon is not null)
        {
            CheckStandalone(Hocon, path);
            hocon.Append(Hocon).Append('\n');
        }
        if (Servers is not null)
        {
            if (Servers.Any(s => s is null)) throw new ArgumentException($"{path}.servers contains a null entry");
            hocon.Append("servers = [").Append(string.Join(", ", Servers.Select(Quote))).Append("]\n");
        }
        if (ConnectionString is not null) hocon.Append("connection-string = ").Append(Quote(ConnectionString)).Append('\n');
        if (Bucket is not null) hocon.Append("bucket = ").Append(Quote(Bucket)).Append('\n');
        if (BucketType is { } type)
            hocon.Append("bucket-type = ").Append(Quote(type == Couchbase.BucketType.Memcached ? "memcached" : "couchbase")).Append('\n');
        if (Username is not null) hocon.Append("username = ").Append(Quote(Username)).Append('\n');
        if (Password is not null) hocon.Append("password = ").Append(Quote(Password)).Append('\n');
        if (OperationTimeout is { } timeout) hocon.Append("operation-timeout = ").Append(Duration(timeout, path + ".operation-timeout")).Append('\n');
        if (Transport is { } transport)
            hocon.Append("transport = ").Append(transport switch
            {
                KvTransport.AkkaIo => "akka-io",
                KvTransport.Socket => "socket",
                _ => throw new ArgumentException($"{path}.transport: unknown transport {(int)transport}"),
            }).Append('\n');
        if (EnableTls is { } tls) hocon.Append("tls.enabled = ").Append(tls ? "on" : "off").Append('\n');
        if (TrustedCertificates is not null)
        {
            if (TrustedCertificates.Any(s => s is null)) throw new ArgumentException($"{path}.tls.trusted-certificates contains a null entry");
            hocon.Append("tls.trusted-certificates = [").Append(string.Join(", ", TrustedCertificates.Select(Quote))).Append("]\n");
        }
        if (ClientCertificate is not null) hocon.Append("tls.client-certificate = ").Append(Quote(ClientCertificate)).Append('\n');
        if (ClientKey is not null) hocon.Append("tls.client-key = ").Append(Quote(ClientKey)).Append('\n');
        if (ClientCertificatePassword is not null)
            hocon.Append("tls.client-certificate-password = ").Append(Quote(ClientCertificatePassword)).Append('\n');
        if (ThresholdLogging is { } slow) hocon.Append("observability.threshold-logging = ").Append(slow ? "on" : "off").Append('\n');
        if (ThresholdInterval is { } interval)
        {
            if (interval <= TimeSpan.Zero) throw new ArgumentException($"{path}.observability.threshold-interval must be positive, was {interval}");
            hocon.Append("observability.threshold-interval = ").Append(Duration(interval, path + ".observability.threshold-interval")).Append('\n');
        }
        if (KvThreshold is { } kv) hocon.Append("observability.kv-threshold = ").Append(Duration(kv, path + ".observability.kv-threshold")).Append('\n');
        if (ViewsThreshold is { } views) hocon.Append("observability.views-threshold = ").Append(Duration(views, path + ".observability.views-threshold")).Append('\n');
        if (OrphanLogging is { } orphans) hocon.Append("observability.orphan-logging = ").Append(orphans ? "on" : "off").Append('\n');
        if (PooledValues is { } pooled) hocon.Append("value-pooling.enabled = ").Append(pooled ? "on" : "off").Append('\n');
        if (PooledValuesMinSize is { } minSize)
        {
            if (minSize < 1) throw new ArgumentException($"{path}.value-pooling.min-size must be at least 1 byte, was {minSize}");
            hocon.Append("value-pooling.min-size = ").Append(minSize.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return hocon.Append("}\n").ToString();
    }

    /// <summary>
    /// Checks that <paramref name="hocon"/> opens and closes its own objects, lists and strings, then parses it with a
    /// marker key after it: the marker is missing at the top level if the parser stopped before the end.
    /// </summary>
    private static void CheckStandalone(string hocon, string path)
    {
        if (HoconBalance.Problem(hocon) is { } problem)
            throw new ArgumentException($"CouchbaseOptions.Hocon (for {path}) is not HOCON on its own: {problem}");
        const string marker = "akka-couchbase-options-hocon-end";
        Config parsed;
        try
        {
            parsed = ConfigurationFactory.ParseString(hocon + "\n" + marker + " = on\n");
        }
        catch (Exception e)
        {
            throw new ArgumentException($"CouchbaseOptions.Hocon (for {path}) is not valid HOCON: {e.Message}", e);
        }
        if (!parsed.HasPath(marker))
            throw new ArgumentException($"CouchbaseOptions.Hocon (for {path}) is not HOCON on its own: its parse stops before its end");
    }

    /// <summary>A HOCON duration: whole milliseconds as <c>ms</c>, else exact nanoseconds.</summary>
    private static string Duration(TimeSpan value, string key)
    {
        if (value < TimeSpan.Zero) throw new ArgumentException($"{key} must not be negative, was {value}");
        return value.Ticks % TimeSpan.TicksPerMillisecond == 0
            ? (value.Ticks / TimeSpan.TicksPerMillisecond).ToString(CultureInfo.InvariantCulture) + "ms"
            : (value.Ticks * 100).ToString(CultureInfo.InvariantCulture) + "ns";
    }

    /// <summary>A HOCON quoted string: any value (a password with quotes or braces) stays one string.</summary>
    private static string Quote(string value)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                default:
                    if (char.IsControl(c)) quoted.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else quoted.Append(c);
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"CouchbaseOptions(servers=[{string.Join(", ", Servers ?? Array.Empty<string>())}], bucket={Bucket}, user={Username}, " +
        $"password={(Password is null ? "<unset>" : "<redacted>")}" +
        (EnableTls is { } tls ? $", tls={(tls ? "on" : "off")}" : "") +
        (ClientCertificate is null ? "" : $", client-certificate={ClientCertificate}") + ")";
}
