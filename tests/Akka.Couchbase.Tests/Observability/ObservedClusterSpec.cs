using Akka.Couchbase.TestKit;
using Akka.Couchbase.TestKit.Cluster;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Observability;

/// <summary>
/// A client on its own in-process cluster (3 nodes, SCRAM, a bucket named after the spec so that its measurements
/// are told apart from other specs' in the shared meter), with a <see cref="MeterCapture"/> listening from before
/// the client starts.
/// </summary>
public abstract class ObservedClusterSpec : ClientSpec, IAsyncLifetime
{
    protected ObservedClusterSpec(string bucket, ITestOutputHelper output, string extraHocon = "", int nodes = 3)
        : this(Start(bucket, nodes), bucket, output, extraHocon)
    {
    }

    private ObservedClusterSpec(InProcessCluster cluster, string bucket, ITestOutputHelper output, string extraHocon)
        : base($"servers = [{string.Join(",", cluster.Nodes.Select(n => $"\"127.0.0.1:{n.KvPort}\""))}]\n" +
               $"http-bootstrap.servers = [{string.Join(",", cluster.Nodes.Select(n => $"\"127.0.0.1:{n.MgmtPort}\""))}]\n" +
               $"bucket = {bucket}\nusername = app\npassword = s3cret\n" +
               "reconnect-min-backoff = 50ms\nreconnect-max-backoff = 500ms\n" + extraHocon, output)
    {
        Cluster = cluster;
        BucketName = bucket;
        Meters = new MeterCapture(bucket);
    }

    protected InProcessCluster Cluster { get; }
    protected string BucketName { get; }
    protected MeterCapture Meters { get; }

    /// <summary>The KV ports of the cluster's nodes, as the <c>server.port</c> attribute shows them.</summary>
    protected IReadOnlyList<string> KvPorts => Cluster.Nodes.Select(n => n.KvPort.ToString()).ToList();

    private static InProcessCluster Start(string bucket, int nodes) =>
        InProcessCluster.StartAsync(new InProcessClusterOptions
        {
            Nodes = nodes,
            Buckets = { new BucketDefinition(bucket, BucketType.Couchbase, VBuckets: 64, Replicas: 1) },
            Users = { ["app"] = "s3cret" },
        }).GetAwaiter().GetResult();

    public virtual async Task InitializeAsync() => await Client.ConnectAsync(TimeSpan.FromSeconds(20));

    public async Task DisposeAsync()
    {
        Meters.Dispose();
        await Cluster.DisposeAsync();
    }
}
