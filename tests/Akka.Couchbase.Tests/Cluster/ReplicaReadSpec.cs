using Akka.Couchbase.Protocol;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>
/// Replica reads (the original's <c>rget</c>): GET_REPLICA goes to the node the map names for that replica, keeps
/// working while the active copy's node is down, and bad replica numbers fail with a message saying why.
/// </summary>
public sealed class ReplicaReadSpec : EmbeddedClusterSpec
{
    public ReplicaReadSpec(ITestOutputHelper output) : base(output, "operation-timeout = 1500ms\n") { }

    [Fact]
    public async Task A_replica_read_is_served_by_the_replica_node_of_the_map()
    {
        var keys = Enumerable.Range(0, 30).Select(i => $"replica::{i}").ToList();
        foreach (var key in keys) await Client.UpsertAsync(key, key.ToUpperInvariant());
        Cluster.Faults.CommandLog.Start();

        foreach (var key in keys)
        {
            var result = await Client.GetReplicaAsync(key);
            Assert.Equal(KvOutcome.Success, result.Outcome);
            Assert.Equal(key.ToUpperInvariant(), result.ContentAs<string>());
        }
        Assert.Equal(KvOutcome.NotFound, (await Client.GetReplicaAsync("replica::absent")).Outcome);

        var reads = Cluster.Faults.CommandLog.Snapshot().Where(r => r.Opcode == Opcode.GetReplica).ToList();
        Assert.Equal(keys.Count + 1, reads.Count);
        foreach (var read in reads)
        {
            var vb = Bucket.VBucketOf(read.Key!);
            Assert.Equal(Bucket.ReplicaNodesOf(vb)[0], read.Node);
            Assert.NotEqual(Bucket.ActiveNodeOf(vb), read.Node);
        }
    }

    [Fact]
    public async Task While_the_active_node_is_down_its_documents_are_still_read_from_their_replicas()
    {
        var key = Enumerable.Range(0, 200).Select(i => $"down::{i}").First(k => Bucket.ActiveNodeOf(Bucket.VBucketOf(k)) == 1);
        await Client.UpsertAsync(key, "kept");
        await Cluster.Faults.StopNodeAsync(1);

        await Assert.ThrowsAnyAsync<CouchbaseException>(() => Client.GetAsync(key));
        Assert.Equal("kept", (await Client.GetReplicaAsync(key)).ContentAs<string>());
    }

    [Fact]
    public async Task Replica_numbers_outside_the_bucket_fail_with_what_was_wrong()
    {
        var zero = await Assert.ThrowsAsync<KvInvalidArgumentException>(() => Client.GetReplicaAsync("k", replica: 0));
        Assert.Contains("replicas are numbered 1 to 3", zero.Message);
        var second = await Assert.ThrowsAsync<KvInvalidArgumentException>(() => Client.GetReplicaAsync("k", replica: 2));
        Assert.Contains("has 1 replica(s)", second.Message);
    }
}
