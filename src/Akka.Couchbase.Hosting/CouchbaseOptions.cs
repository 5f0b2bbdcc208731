using System.Globalization;
using System.Text;

namespace Akka.Couchbase.Hosting;

/// <summary>
/// The common <c>akka.couchbase</c> settings, set from code. Each property left null keeps the value from HOCON
/// (the application's, else HOCON/reference.conf); anything else goes in <see cref="Hocon"/>.
/// </summary>
public sealed class CouchbaseOptions
{
    /// <summary>Seed nodes as "host" or "host:port" (<c>servers</c>).</summary>
    public IReadOnlyList<string>? Servers { get; set; }
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
    /// <summary>More of the <c>akka.couchbase</c> section as HOCON, e.g. <c>"max-backlog = 1000"</c>; the properties above win.</summary>
    public string? Hocon { get; set; }

    /// <summary>The <c>akka.couchbase { ... }</c> HOCON these options stand for.</summary>
    public string ToHocon()
    {
        var hocon = new StringBuilder("akka.couchbase {\n");
        if (Hocon is not null) hocon.Append(Hocon).Append('\n');
        if (Servers is not null) hocon.Append("servers = [").Append(string.Join(", ", Servers.Select(Quote))).Append("]\n");
        if (Bucket is not null) hocon.Append("bucket = ").Append(Quote(Bucket)).Append('\n');
        if (BucketType is { } type) hocon.Append("bucket-type = ").Append(type == Couchbase.BucketType.Memcached ? "memcached" : "couchbase").Append('\n');
        if (Username is not null) hocon.Append("username = ").Append(Quote(Username)).Append('\n');
        if (Password is not null) hocon.Append("password = ").Append(Quote(Password)).Append('\n');
        if (OperationTimeout is { } timeout)
            hocon.Append("operation-timeout = ").Append(((long)Math.Ceiling(timeout.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture)).Append("ms\n");
        return hocon.Append('}').ToString();
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
        $"password={(Password is null ? "<unset>" : "<redacted>")})";
}
