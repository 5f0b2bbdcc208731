using Akka.Couchbase.TestKit;
using Akka.Couchbase.TestKit.Cluster;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Infrastructure;

/// <summary>
/// A spec whose client talks to its own in-process cluster (3 nodes, SCRAM, bucket <c>default</c> with 64 vBuckets
/// and 1 replica) over real sockets. The cluster starts before the actor system, so the HOCON can name its ports.
/// With <c>tls</c>, the cluster has TLS listeners and the client reaches every service over TLS (its seeds are the
/// KV TLS ports, the map stream the cluster manager's TLS ports), trusting the cluster's CA.
/// </summary>
public abstract class EmbeddedClusterSpec : ClientSpec, IAsyncLifetime
{
    protected EmbeddedClusterSpec(ITestOutputHelper output, string extraHocon = "", int nodes = 3, bool tls = false)
        : this(Start(nodes, tls), output, extraHocon)
    {
    }

    private EmbeddedClusterSpec(InProcessCluster cluster, ITestOutputHelper output, string extraHocon)
        : base(Hocon(cluster) + extraHocon, output)
    {
        Cluster = cluster;
    }

    protected InProcessCluster Cluster { get; }

    protected InProcessBucket Bucket => Cluster.Bucket("default");

    private static InProcessCluster Start(int nodes, bool tls) =>
        InProcessCluster.StartAsync(new InProcessClusterOptions
        {
            Nodes = nodes,
            Tls = tls,
            Buckets = { new BucketDefinition("default", BucketType.Couchbase, VBuckets: 64, Replicas: 1) },
            Users = { ["app"] = "s3cret" },
        }).GetAwaiter().GetResult();

    protected static string Hocon(InProcessCluster cluster, string user = "app", string password = "s3cret", string bucket = "default") =>
        (cluster.Tls.IsEnabled
            ? $"servers = [{string.Join(",", cluster.Nodes.Select(n => $"\"127.0.0.1:{n.KvTlsPort}\""))}]\n" +
              $"http-bootstrap.servers = [{string.Join(",", cluster.Nodes.Select(n => $"\"127.0.0.1:{n.MgmtTlsPort}\""))}]\n" +
              $"tls {{ enabled = on, trusted-certificates = [\"{cluster.Tls.CaCertificatePath}\"] }}\n"
            : $"servers = [{string.Join(",", cluster.Nodes.Select(n => $"\"127.0.0.1:{n.KvPort}\""))}]\n" +
              $"http-bootstrap.servers = [{string.Join(",", cluster.Nodes.Select(n => $"\"127.0.0.1:{n.MgmtPort}\""))}]\n") +
        $"bucket = {bucket}\nusername = {user}\npassword = \"{password}\"\nreconnect-min-backoff = 50ms\nreconnect-max-backoff = 500ms\n";

    /// <summary>Waits until the client is connected to every node, as an application would at start-up.</summary>
    public async Task InitializeAsync() => await Client.ConnectAsync(TimeSpan.FromSeconds(20));

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
