using Akka.Couchbase;
using System.Globalization;
using Akka.Couchbase.TestKit.Tls;

namespace Akka.Couchbase.TestKit.Runner;

/// <summary>Command-line options of the runner.</summary>
internal sealed class RunnerOptions
{
    public int Nodes { get; private set; } = 1;
    public List<string> Buckets { get; } = new();
    /// <summary>Collections to create at start in every Couchbase bucket, as (scope, collection).</summary>
    public List<(string Scope, string Collection)> Collections { get; } = new();
    public BucketType BucketType { get; private set; } = BucketType.Couchbase;
    public int VBuckets { get; private set; } = 64;
    public int Replicas { get; private set; } = 1;
    public string User { get; private set; } = "Administrator";
    public string Password { get; private set; } = "password";
    public int KvPort { get; private set; }
    public int MgmtPort { get; private set; }
    public int ViewsPort { get; private set; }
    public string? BeerSample { get; private set; }
    public bool Tls { get; private set; }
    public int KvTlsPort { get; private set; }
    public int MgmtTlsPort { get; private set; }
    public int ViewsTlsPort { get; private set; }
    public ClientCertificateMode ClientCertificates { get; private set; }
    public bool IgnoreStdin { get; private set; }
    public bool Help { get; private set; }

    public const string Usage = """
        Akka.Couchbase.TestKit.Runner: an in-process Couchbase cluster (KV, cluster REST, views).

          --nodes N            number of nodes (default 1)
          --bucket NAME        a bucket (repeatable; default "default")
          --bucket-type TYPE   couchbase | memcached (default couchbase)
          --vbuckets N         vBuckets per Couchbase bucket, a power of two (default 64)
          --replicas N         replicas per Couchbase bucket (default 1)
          --user NAME          RBAC user (default Administrator)
          --password PASS      its password (default password)
          --kv-port P          KV port of node 0, node i gets P+i (default 0 = ephemeral)
          --mgmt-port P        cluster REST port base (default 0 = ephemeral)
          --views-port P       views port base (default 0 = ephemeral)
          --collection S.C     create scope S (if new) and collection S.C in every Couchbase bucket at
                               start (repeatable)
          --beer-sample PATH   load beer-sample.zip into bucket "beer-sample" (created if not listed)
          --tls                also listen with TLS (KV, REST, views) next to the plain ports; the ready
                               line then gives couchbases:// as connectionString and the CA file's path
          --kv-tls-port P      KV TLS port base (default 0 = ephemeral); also --mgmt-tls-port, --views-tls-port
          --client-certificates MODE
                               disabled | optional | mandatory (default disabled; implies --tls): X.509
                               authentication; a certificate for --user is issued and its files printed
          --ignore-stdin       do not stop when standard input closes (stop with SIGTERM / Ctrl+C)

        Prints one JSON line with the connection string and ports once ready, then runs until standard
        input closes, SIGTERM or Ctrl+C.
        """;

    public static RunnerOptions Parse(string[] args)
    {
        var o = new RunnerOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--nodes": o.Nodes = Int(); break;
                case "--bucket": o.Buckets.Add(Next()); break;
                case "--bucket-type":
                    o.BucketType = Next().ToLowerInvariant() switch
                    {
                        "couchbase" or "membase" => BucketType.Couchbase,
                        "memcached" or "memcache" => BucketType.Memcached,
                        var t => throw new ArgumentException($"unknown bucket type '{t}'"),
                    };
                    break;
                case "--vbuckets": o.VBuckets = Int(); break;
                case "--replicas": o.Replicas = Int(); break;
                case "--user": o.User = Next(); break;
                case "--password": o.Password = Next(); break;
                case "--kv-port": o.KvPort = Int(); break;
                case "--mgmt-port": o.MgmtPort = Int(); break;
                case "--views-port": o.ViewsPort = Int(); break;
                case "--collection":
                    var path = Next();
                    var dot = path.IndexOf('.');
                    if (dot <= 0 || dot == path.Length - 1 || path.IndexOf('.', dot + 1) >= 0)
                        throw new ArgumentException($"--collection takes scope.collection, not '{path}'");
                    o.Collections.Add((path[..dot], path[(dot + 1)..]));
                    break;
                case "--beer-sample": o.BeerSample = Next(); break;
                case "--tls": o.Tls = true; break;
                case "--kv-tls-port": o.KvTlsPort = Int(); break;
                case "--mgmt-tls-port": o.MgmtTlsPort = Int(); break;
                case "--views-tls-port": o.ViewsTlsPort = Int(); break;
                case "--client-certificates":
                    o.ClientCertificates = Next().ToLowerInvariant() switch
                    {
                        "disabled" or "disable" => ClientCertificateMode.Disabled,
                        "optional" or "enabled" or "enable" => ClientCertificateMode.Enabled,
                        "mandatory" => ClientCertificateMode.Mandatory,
                        var m => throw new ArgumentException($"unknown client certificate mode '{m}'"),
                    };
                    if (o.ClientCertificates != ClientCertificateMode.Disabled) o.Tls = true;
                    break;
                case "--ignore-stdin": o.IgnoreStdin = true; break;
                case "-h" or "--help": o.Help = true; break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }
        return o;
    }
}
