using Akka.Couchbase.Protocol;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>
/// Durable mutations (PersistTo / ReplicateTo, the original's persist_to / replicate_to): the reply waits until
/// OBSERVE on the key's active node and replica shows the new version persisted and replicated, fails with the
/// applied result when that takes longer than durability-timeout, and impossible requests are refused before the wire.
/// The in-process cluster makes persistence and replication take time (SlowDurability).
/// </summary>
public sealed class DurabilitySpec : EmbeddedClusterSpec
{
    public DurabilitySpec(ITestOutputHelper output) : base(output, "durability-timeout = 1500ms\n") { }

    /// <summary>The OBSERVE requests since the command log was started (OBSERVE carries its key in the body, not the header).</summary>
    private List<Akka.Couchbase.TestKit.Faults.KvCommandRecord> Observes() =>
        Cluster.Faults.CommandLog.Snapshot().Where(r => r.Opcode == Opcode.Observe).ToList();

    [Fact]
    public async Task A_durable_upsert_is_answered_once_persisted_on_two_nodes_and_replicated()
    {
        const string key = "durable::slow";
        var vb = Bucket.VBucketOf(key);
        Cluster.Faults.SlowDurability(persistence: TimeSpan.FromMilliseconds(300), replication: TimeSpan.FromMilliseconds(200));
        Cluster.Faults.CommandLog.Start();

        var result = await Client.SendAsync<MutationResult>(new Kv.Upsert(key, "v") { PersistTo = 2, ReplicateTo = 1 });

        Assert.Equal(KvOutcome.Success, result.Outcome);
        var observes = Observes();
        // Several rounds (the replica persists 500 ms after the write), each to the active node and the replica.
        Assert.True(observes.Count >= 6, $"only {observes.Count} OBSERVE requests: the reply did not wait");
        Assert.Equal(new[] { Bucket.ActiveNodeOf(vb), Bucket.ReplicaNodesOf(vb)[0] }.OrderBy(n => n),
            observes.Select(o => o.Node).Distinct().OrderBy(n => n));
    }

    [Fact]
    public async Task Without_delays_one_round_of_observe_is_enough()
    {
        Cluster.Faults.CommandLog.Start();
        var result = await Client.SendAsync<MutationResult>(new Kv.Upsert("durable::fast", 1) { PersistTo = 1, ReplicateTo = 1 });
        Assert.Equal(KvOutcome.Success, result.Outcome);
        Assert.Equal(2, Observes().Count);
    }

    [Fact]
    public async Task Durability_not_reached_in_time_fails_with_the_applied_result_and_the_value_is_stored()
    {
        Cluster.Faults.SlowDurability(persistence: TimeSpan.FromSeconds(30), replication: TimeSpan.Zero);
        var e = await Assert.ThrowsAsync<KvDurabilityException>(() =>
            Client.SendAsync<MutationResult>(new Kv.Upsert("durable::late", "kept") { PersistTo = 1, CorrelationId = 5 }));
        Assert.Contains("persisted on 0 of 1", e.Message);
        Assert.Contains("durability-timeout", e.Message);
        Assert.NotEqual(0UL, e.Applied.Cas);
        Assert.Equal(5, e.CorrelationId);
        Assert.Equal("kept", await Client.GetAsync<string>("durable::late"));
    }

    [Fact]
    public async Task A_durable_remove_waits_for_the_deletion_and_an_unapplied_insert_is_not_observed()
    {
        await Client.UpsertAsync("durable::gone", "x");
        Cluster.Faults.CommandLog.Start();
        var removed = await Client.SendAsync<MutationResult>(new Kv.Remove("durable::gone") { PersistTo = 1, ReplicateTo = 1 });
        Assert.Equal(KvOutcome.Success, removed.Outcome);
        Assert.Equal(2, Observes().Count);

        await Client.UpsertAsync("durable::exists", "x");
        Cluster.Faults.CommandLog.Start();
        var insert = await Client.SendAsync<MutationResult>(new Kv.Insert("durable::exists", "y") { PersistTo = 1 });
        Assert.Equal(KvOutcome.Exists, insert.Outcome);
        Assert.Empty(Observes());
    }

    [Fact]
    public async Task Counters_and_appends_wait_for_durability_too()
    {
        Cluster.Faults.SlowDurability(persistence: TimeSpan.FromMilliseconds(200), replication: TimeSpan.Zero);
        Cluster.Faults.CommandLog.Start();
        var counter = await Client.SendAsync<CounterResult>(new Kv.Increment("durable::counter") { Initial = 7, PersistTo = 1 });
        Assert.Equal(7UL, counter.Value);
        Assert.True(Observes().Count >= 3, "the counter's reply did not wait for persistence");

        Cluster.Faults.CommandLog.Start();
        var appended = await Client.SendAsync<MutationResult>(new Kv.Append("durable::counter", "1") { ReplicateTo = 1, PersistTo = 2 });
        Assert.Equal(KvOutcome.Success, appended.Outcome);
        Assert.True(Observes().Count >= 6, "the append's reply did not wait for persistence");
    }

    [Fact]
    public async Task Observe_reports_each_copy_with_its_state_and_cas_active_first()
    {
        const string key = "durable::observed";
        var vb = Bucket.VBucketOf(key);
        Cluster.Faults.SlowDurability(persistence: TimeSpan.FromHours(1), replication: TimeSpan.Zero);
        var cas = (await Client.UpsertAsync(key, "v")).Cas;

        var seen = await Client.ObserveAsync(key);
        Assert.Equal(cas, seen.Cas);
        Assert.Equal(2, seen.Copies.Count);
        Assert.True(seen.Copies[0].IsActive);
        Assert.Equal($"127.0.0.1:{Cluster.Nodes[Bucket.ActiveNodeOf(vb)].KvPort}", seen.Copies[0].Node);
        Assert.All(seen.Copies, c => Assert.Equal((ObserveState.Found, cas), (c.State, c.Cas)));

        Cluster.Faults.SlowDurability(TimeSpan.Zero, TimeSpan.Zero);
        Assert.All((await Client.ObserveAsync(key)).Copies, c => Assert.Equal(ObserveState.Persisted, c.State));
        Assert.All((await Client.ObserveAsync("durable::never-stored")).Copies, c => Assert.Equal(ObserveState.NotFound, c.State));
    }

    [Fact]
    public async Task Endure_waits_for_a_stored_version_and_fails_for_one_that_is_not_there()
    {
        Cluster.Faults.SlowDurability(persistence: TimeSpan.FromMilliseconds(300), replication: TimeSpan.Zero);
        var cas = (await Client.UpsertAsync("durable::endure", "v")).Cas;
        Cluster.Faults.CommandLog.Start();
        var endured = await Client.SendAsync<MutationResult>(new Kv.Endure("durable::endure", cas) { PersistTo = 1, ReplicateTo = 1 });
        Assert.Equal((KvOutcome.Success, cas), (endured.Outcome, endured.Cas));
        Assert.True(Observes().Count >= 4, "the persistence delay should have taken more than one round");

        var e = await Assert.ThrowsAsync<KvDurabilityException>(() =>
            Client.SendAsync<MutationResult>(new Kv.Endure("durable::endure", cas + 1) { ReplicateTo = 1 }));
        Assert.Contains("present on 0 of 1", e.Message);
    }

    [Fact]
    public async Task Asking_for_more_copies_than_the_bucket_has_is_refused_before_the_wire()
    {
        Cluster.Faults.CommandLog.Start();
        var e = await Assert.ThrowsAsync<KvInvalidArgumentException>(() =>
            Client.SendAsync<MutationResult>(new Kv.Upsert("durable::impossible", "v") { ReplicateTo = 2 }));
        Assert.Contains("has 1 replica(s)", e.Message);
        Assert.DoesNotContain(Cluster.Faults.CommandLog.Snapshot(), r => r.Key == "durable::impossible");
    }
}
