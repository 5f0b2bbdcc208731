using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>
/// Couchbase buckets negotiate Duplex and ClustermapChangeNotification: a node pushes every new map, and the
/// client applies it with no command in flight, no NOT_MY_VBUCKET and no polling (turned off here).
/// </summary>
public sealed class ClusterMapPushSpec : EmbeddedClusterSpec
{
    public ClusterMapPushSpec(ITestOutputHelper output) : base(output, "config-poll-interval = 0s\n") { }

    [Fact]
    public async Task A_rebalance_reaches_an_idle_client_through_the_nodes_pushes()
    {
        var before = (await Client.DiagnosticsAsync()).MapRevision;
        var maps = CreateTestProbe();
        Sys.EventStream.Subscribe(maps.Ref, typeof(ClusterMapChanged));
        var key = "pushed";
        var vb = Bucket.VBucketOf(key);
        var newOwner = (Bucket.ActiveNodeOf(vb) + 1) % Cluster.Nodes.Count;

        Cluster.Faults.MoveVBucket("default", vb, newOwner);

        var changed = await maps.ExpectMsgAsync<ClusterMapChanged>(TimeSpan.FromSeconds(5));
        Assert.NotEqual(before, (await Client.DiagnosticsAsync()).MapRevision);
        Assert.Equal(3, changed.Nodes.Count);
        // Routed with the pushed map: the new owner takes the write at once.
        Cluster.Faults.CommandLog.Start();
        await Client.UpsertAsync(key, "v");
        var set = Assert.Single(Cluster.Faults.CommandLog.Snapshot(), r => r.Key == key);
        Assert.Equal(newOwner, set.Node);
    }
}
