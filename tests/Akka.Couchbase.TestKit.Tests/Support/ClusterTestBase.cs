using Xunit;
using System.Text;
using Akka.Couchbase.TestKit.Cluster;

namespace Akka.Couchbase.TestKit.Tests.Support;

/// <summary>Starts a fresh cluster for each test and offers small helpers to reach a key's owner.</summary>
public abstract class ClusterTestBase : IAsyncLifetime
{
    protected InProcessCluster Cluster { get; private set; } = null!;

    protected virtual InProcessClusterOptions Options() => new()
    {
        Nodes = 3,
        Buckets = { new BucketDefinition("default", BucketType.Couchbase, VBuckets: 64, Replicas: 1) },
        Users = { ["Administrator"] = "password" },
    };

    public async Task InitializeAsync() => Cluster = await InProcessCluster.StartAsync(Options());

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    protected InProcessBucket Default => Cluster.Bucket("default");

    protected ushort Vb(string key) => (ushort)Default.VBucketOf(key);

    protected int Owner(string key) => Default.ActiveNodeOf(Vb(key));

    /// <summary>A connection to the node holding the active copy of <paramref name="key"/>.</summary>
    private protected Task<RawKvClient> ToOwnerAsync(string key) => RawKvClient.ConnectBucketAsync(Cluster.Nodes[Owner(key)].KvPort);

    /// <summary>A connection to a node that is neither active nor replica for the key.</summary>
    private protected async Task<RawKvClient> ToStrangerAsync(string key)
    {
        var vb = Vb(key);
        var involved = new HashSet<int>(Default.ReplicaNodesOf(vb)) { Default.ActiveNodeOf(vb) };
        var node = Cluster.Nodes.First(n => !involved.Contains(n.Index));
        return await RawKvClient.ConnectBucketAsync(node.KvPort);
    }

    protected static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
