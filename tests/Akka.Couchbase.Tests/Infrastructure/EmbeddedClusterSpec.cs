using Akka.Couchbase.TestKit;
using Akka.Couchbase.TestKit.Cluster;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Infrastructure;

/// <summary>
/// A spec whose client talks to its own in-process cluster (3 nodes, SCRAM, bucket <c>default</c> with 64 vBuckets
/// and 1 replica) over real sockets. The cluster starts before the actor system, so the HOCON can name its ports.
/// </summary>
public abstract class EmbeddedClusterSpec : ClientSpec, IAsyncLifetime
{
    protected EmbeddedClusterSpec(ITestOutputHelper output, string extraHocon = "", int nodes = 3)
        : this(Start(nodes), output, extraHocon)
    {
    }

    private EmbeddedClusterSpec(InProcessCluster cluster, ITestOutputHelper output, string extraHocon)
        : base(Hocon(cluster) + extraHocon, output)
    {
        Cluster = cluster;
    }

    protected InProcessCluster Cluster { get; }

    protected InProcessBucket Bucket => Cluster.Bucket("default");

    private static InProcessCluster Start(int nodes) =>
        InProcessCluster.StartAsync(new InProcessClusterOptions
        {
            Nodes = nodes,
            Buckets = { new BucketDefinition("default", BucketType.Couchbase, VBuckets: 64, Replicas: 1) },
            Users = { ["app"] = "s3cret" },
        }).GetAwaiter().GetResult();

    protected static string Hocon(InProcessCluster cluster, string user = "app", string password = "s3cret", string bucket = "default") =>
        $"servers = [{string.Join(",", cluster.Nodes.Select(n => $"\"127.0.0.1:{n.KvPort}\""))}]\n" +
        $"http-bootstrap.servers = [{string.Join(",", cluster.Nodes.Select(n => $"\"127.0.0.1:{n.MgmtPort}\""))}]\n" +
        $"bucket = {bucket}\nusername = {user}\npassword = \"{password}\"\nreconnect-min-backoff = 50ms\nreconnect-max-backoff = 500ms\n";

    /// <summary>Waits until the client is connected to every node, as an application would at start-up.</summary>
    public async Task InitializeAsync() => await Client.ConnectAsync(TimeSpan.FromSeconds(20));

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
