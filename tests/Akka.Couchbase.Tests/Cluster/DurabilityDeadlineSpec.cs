using Akka.Couchbase.Protocol;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>
/// A durable mutation is answered by its <c>durability-timeout</c> and an Observe by its own timeout, even when a
/// node takes the OBSERVE requests and never answers them: the operation timeout here is 60 s, so an OBSERVE
/// request that waited for it would hold the reply far past the 10 s these tests allow.
/// </summary>
public sealed class DurabilityDeadlineSpec : EmbeddedClusterSpec
{
    public DurabilityDeadlineSpec(ITestOutputHelper output)
        : base(output, "durability-timeout = 500ms\noperation-timeout = 60s\n") { }

    private static readonly TimeSpan Allowed = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_replica_that_never_answers_observe_cannot_hold_a_durable_upsert_past_the_durability_timeout()
    {
        const string key = "durable::silent-replica";
        var replica = Bucket.ReplicaNodesOf(Bucket.VBucketOf(key))[0];
        using var silent = Cluster.Faults.Swallow(Opcode.Observe, count: -1, node: replica);

        var upsert = Client.SendAsync<MutationResult>(new Kv.Upsert(key, "v") { ReplicateTo = 1 });

        var e = await Assert.ThrowsAsync<KvDurabilityException>(() => upsert.WaitAsync(Allowed));
        Assert.Contains("present on 0 of 1 required replica(s)", e.Message);
        Assert.Contains("durability-timeout", e.Message);
        Assert.NotEqual(0UL, e.Applied.Cas);
    }

    [Fact]
    public async Task Endure_is_bounded_by_the_durability_timeout_too()
    {
        const string key = "durable::endure-silent";
        var stored = await Client.UpsertAsync(key, "v");
        var replica = Bucket.ReplicaNodesOf(Bucket.VBucketOf(key))[0];
        using var silent = Cluster.Faults.Swallow(Opcode.Observe, count: -1, node: replica);

        var endure = Client.SendAsync<MutationResult>(new Kv.Endure(key, stored.Cas) { ReplicateTo = 1 });

        var e = await Assert.ThrowsAsync<KvDurabilityException>(() => endure.WaitAsync(Allowed));
        Assert.Contains("present on 0 of 1 required replica(s)", e.Message);
    }

    [Fact]
    public async Task An_observe_with_its_own_timeout_reports_the_silent_copy_as_unknown_within_it()
    {
        const string key = "durable::observe-silent";
        await Client.UpsertAsync(key, "v");
        var replica = Bucket.ReplicaNodesOf(Bucket.VBucketOf(key))[0];
        using var silent = Cluster.Faults.Swallow(Opcode.Observe, count: -1, node: replica);

        var observed = await Client.SendAsync<ObserveResult>(new Kv.Observe(key) { Timeout = TimeSpan.FromMilliseconds(300) })
            .WaitAsync(Allowed);

        var copies = observed.Copies;
        Assert.Equal(2, copies.Count);
        Assert.True(copies[0].IsActive);
        Assert.NotEqual(ObserveState.Unknown, copies[0].State);
        Assert.False(copies[1].IsActive);
        Assert.Equal(ObserveState.Unknown, copies[1].State);
    }
}
