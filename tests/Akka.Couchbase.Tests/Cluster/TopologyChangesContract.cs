using System.Text;
using Akka.Actor;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>
/// Map changes and node faults on the in-process cluster: NOT_MY_VBUCKET is followed transparently and keeps
/// per-key order, failures carry their context, and every command gets exactly one reply. Run over plain TCP
/// (<see cref="TopologyChangesSpec"/>, Akka.IO; <see cref="TopologyChangesOverSocketSpec"/>, the client's own socket
/// transport) and over TLS (<see cref="TopologyChangesOverTlsSpec"/>).
/// </summary>
public abstract class TopologyChangesContract : EmbeddedClusterSpec
{
    protected TopologyChangesContract(ITestOutputHelper output, bool tls, string transport = "akka-io")
        : base(output, $"operation-timeout = 10s\ntransport = {transport}\n", tls: tls) { }

    [Fact]
    public async Task Appends_keep_their_order_per_key_across_a_failover_and_vbucket_moves()
    {
        var keys = Enumerable.Range(0, 40).Select(i => $"seq::{i}").ToList();
        foreach (var key in keys) await Client.UpsertAsync(key, "");
        var maps = CreateTestProbe();
        Sys.EventStream.Subscribe(maps.Ref, typeof(ClusterMapChanged));
        var probe = CreateTestProbe();
        Cluster.Faults.CommandLog.Start();
        const int rounds = 150;
        var sent = 0;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var key in keys)
                Couchbase.Supervisor.Tell(new Akka.Couchbase.Kv.Append(key, $"{round},") { CorrelationId = sent++ }, probe.Ref);
            if (round == 40) Cluster.Faults.Failover(2);
            if (round == 80) Cluster.Faults.MoveVBucket("default", Bucket.VBucketOf(keys[0]), (Bucket.ActiveNodeOf(Bucket.VBucketOf(keys[0])) + 1) % 2);
            if (round == 100) Cluster.Faults.MoveVBucket("default", Bucket.VBucketOf(keys[1]), (Bucket.ActiveNodeOf(Bucket.VBucketOf(keys[1])) + 1) % 2);
        }

        var answered = new HashSet<int>();
        for (var n = 0; n < sent; n++)
        {
            var reply = await probe.ExpectMsgAsync<KvResult>(TimeSpan.FromSeconds(20));
            Assert.Equal(KvOutcome.Success, reply.Outcome);
            Assert.True(answered.Add((int)reply.CorrelationId!), $"{reply.CorrelationId} answered twice");
        }
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        // Some appends were refused with NOT_MY_VBUCKET and sent again: the servers saw more than were sent.
        var appendsSeen = Cluster.Faults.CommandLog.Snapshot().Count(r => r.Opcode == Opcode.Append);
        Assert.True(appendsSeen > sent, $"servers saw {appendsSeen} appends for {sent} sent: no redirect happened");

        var expected = new StringBuilder();
        for (var round = 0; round < rounds; round++) expected.Append(round).Append(',');
        foreach (var key in keys) Assert.Equal(expected.ToString(), await Client.GetAsync<string>(key));
        Assert.Equal(2, (await maps.ExpectMsgAsync<ClusterMapChanged>(TimeSpan.FromSeconds(5))).Nodes.Count);
    }

    [Fact]
    public async Task A_restarted_node_is_reconnected_and_reads_in_flight_are_retried()
    {
        var key = Enumerable.Range(0, 100).Select(i => $"restart::{i}").First(k => Bucket.ActiveNodeOf(Bucket.VBucketOf(k)) == 1);
        await Client.UpsertAsync(key, "before");
        await Cluster.Faults.StopNodeAsync(1);
        var pending = Client.GetAsync(key); // waits for the node (never written: safe to send later)
        await Task.Delay(300);
        await Cluster.Faults.RestartNodeAsync(1);
        Assert.Equal("before", (await pending).ContentAs<string>());
        Assert.Equal(KvOutcome.Success, (await Client.UpsertAsync(key, "after")).Outcome);
    }

    [Fact]
    public async Task A_hiccup_longer_than_the_deadline_times_out_with_context()
    {
        var key = Enumerable.Range(0, 100).Select(i => $"hiccup::{i}").First(k => Bucket.ActiveNodeOf(Bucket.VBucketOf(k)) == 0);
        Cluster.Faults.Hiccup(0, TimeSpan.FromSeconds(3));
        var e = await Assert.ThrowsAsync<KvTimeoutException>(() =>
            Client.SendAsync<GetResult>(new Akka.Couchbase.Kv.Get(key) { Timeout = TimeSpan.FromMilliseconds(500), CorrelationId = "h" }));
        var context = e.Context!;
        Assert.Equal((Opcode.Get, key, "h"), (context.Operation, context.Key, context.CorrelationId));
        Assert.Equal($"127.0.0.1:{(Cluster.Tls.IsEnabled ? Cluster.Nodes[0].KvTlsPort : Cluster.Nodes[0].KvPort)}", context.Node);
        Assert.Equal(Bucket.VBucketOf(key), context.VBucket);
        Assert.True(context.Elapsed >= TimeSpan.FromMilliseconds(500));
        Assert.True(context.InFlight >= 0);
        Assert.Contains("500ms", e.Message);
    }

    [Fact]
    public async Task Temporary_failures_are_reported_as_temporary_and_not_retried()
    {
        using var rule = Cluster.Faults.ForceStatus(KvStatus.TemporaryFailure, Opcode.Set, "tmp::.*", count: 1);
        var e = await Assert.ThrowsAsync<KvServerErrorException>(() => Client.UpsertAsync("tmp::1", "x"));
        Assert.True(e.IsTemporary);
        Assert.Equal(KvStatus.TemporaryFailure, e.Context!.Status);
        Assert.Equal(KvOutcome.Success, (await Client.UpsertAsync("tmp::1", "x")).Outcome);
    }

    [Fact]
    public async Task Dropped_connections_fail_written_mutations_as_ambiguous_at_most_and_the_client_goes_on()
    {
        var probe = CreateTestProbe();
        for (var i = 0; i < 200; i++)
            Couchbase.Supervisor.Tell(new Akka.Couchbase.Kv.Upsert($"drop::{i}", new byte[2048]) { CorrelationId = i }, probe.Ref);
        Cluster.Faults.DropConnections(0);
        Cluster.Faults.DropConnections(1);
        var outcomes = new Dictionary<string, int>();
        var seen = new HashSet<int>();
        for (var n = 0; n < 200; n++)
        {
            var reply = probe.ReceiveOne(TimeSpan.FromSeconds(15));
            var (id, kind) = reply switch
            {
                MutationResult r => ((int)r.CorrelationId!, r.Outcome.ToString()),
                Status.Failure { Cause: KvAmbiguousException a } => ((int)a.CorrelationId!, "ambiguous"),
                _ => throw new Xunit.Sdk.XunitException($"unexpected reply {reply}"),
            };
            Assert.True(seen.Add(id));
            outcomes[kind] = outcomes.GetValueOrDefault(kind) + 1;
        }
        Assert.Equal(200, outcomes.Values.Sum());
        Assert.DoesNotContain(outcomes.Keys, k => k is not ("Success" or "ambiguous"));
        await AwaitAssertAsync(async () => Assert.Equal(KvOutcome.Success, (await Client.UpsertAsync("drop::after", "x")).Outcome),
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_truncated_response_closes_the_connection_cleanly()
    {
        var key = Enumerable.Range(0, 100).Select(i => $"trunc::{i}").First(k => Bucket.ActiveNodeOf(Bucket.VBucketOf(k)) == 0);
        await Client.UpsertAsync(key, "whole");
        Cluster.Faults.Truncate(0, 10);
        // A read cut mid-frame is retried on the next connection.
        Assert.Equal("whole", (await Client.GetAsync(key)).ContentAs<string>());
    }
}
