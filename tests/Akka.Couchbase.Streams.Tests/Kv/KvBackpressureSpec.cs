using Akka.Couchbase.Protocol;
using Akka.Couchbase.Streams.Dsl;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Streams.Tests.KvStages;

/// <summary>
/// What the server sees of a KV flow's demand: a slow consumer holds the commands in flight to the parallelism, a
/// cancelled stream sends nothing more, and neither cancellation nor failure waits for replies still coming.
/// </summary>
public sealed class KvBackpressureSpec : KvStageSpec
{
    public KvBackpressureSpec(KvCluster kv, ITestOutputHelper output) : base(kv, output) { }

    [Fact]
    public async Task A_slow_consumer_bounds_the_commands_the_server_receives()
    {
        const int parallelism = 4;
        var keys = Enumerable.Range(0, 200).Select(i => $"slow-{i}").ToList();
        CommandLog.Start();
        var probe = Source.From(keys).Via(CouchbaseFlow.Get(CouchbaseReadSettings.Default.WithParallelism(parallelism)))
            .RunWith(this.SinkProbe<CouchbaseResult<GetResult, string>>(), Materializer);

        // No demand yet: nothing is sent.
        Assert.Empty(await ReceivedAsync(Opcode.Get, "slow-"));

        probe.Request(2);
        Assert.Equal(new[] { "slow-0", "slow-1" }, new[] { probe.ExpectNext().PassThrough, probe.ExpectNext().PassThrough });
        // Two taken, and the window refilled behind them: 2 + parallelism requests, then the stage waits for demand.
        await AwaitAssertAsync(() => Assert.Equal(2 + parallelism, CommandLog.Snapshot().Count(r => r.Key?.StartsWith("slow-") == true)));
        var received = await ReceivedAsync(Opcode.Get, "slow-");
        Assert.Equal(keys.Take(2 + parallelism), received.Select(r => r.Key));

        probe.Request(10);
        for (var i = 2; i < 12; i++) Assert.Equal(keys[i], probe.ExpectNext().PassThrough);
        await AwaitAssertAsync(() => Assert.Equal(12 + parallelism, CommandLog.Snapshot().Count(r => r.Key?.StartsWith("slow-") == true)));
        Assert.Equal(12 + parallelism, (await ReceivedAsync(Opcode.Get, "slow-")).Count);
        probe.Cancel();
    }

    [Fact]
    public async Task A_cancelled_stream_sends_no_more_commands()
    {
        const int parallelism = 4;
        CommandLog.Start();
        var taken = await RunToList(Source.From(Enumerable.Range(0, 10_000).Select(i => $"cancel-{i}"))
            .Via(CouchbaseFlow.Get(CouchbaseReadSettings.Default.WithParallelism(parallelism)))
            .Take(10));

        Assert.Equal(10, taken.Count);
        var received = await ReceivedAsync(Opcode.Get, "cancel-");
        Assert.InRange(received.Count, 10, 10 + parallelism);
    }

    [Fact]
    public async Task Cancelling_does_not_wait_for_commands_in_flight()
    {
        // The cluster never answers these; their deadline (30 s) is far beyond the test's patience.
        using var swallow = Server.Cluster.Faults.Swallow(keyPattern: "^hang-", count: -1);
        var (upstreamDone, probe) = Source.From(Enumerable.Range(0, 100).Select(i => $"hang-{i}"))
            .WatchTermination(Keep.Right)
            .Via(CouchbaseFlow.Get(CouchbaseReadSettings.Default.WithTimeout(TimeSpan.FromSeconds(30)).WithParallelism(8)))
            .ToMaterialized(this.SinkProbe<CouchbaseResult<GetResult, string>>(), Keep.Both)
            .Run(Materializer);
        probe.Request(1);
        await AwaitAssertAsync(() => Assert.Equal(8, swallow.Hits));

        probe.Cancel();

        await upstreamDone.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task An_upstream_failure_fails_the_stream_without_waiting_for_commands_in_flight()
    {
        using var swallow = Server.Cluster.Faults.Swallow(keyPattern: "^upfail-", count: -1);
        var source = Source.From(Enumerable.Range(0, 3).Select(i => $"upfail-{i}"))
            .Concat(Source.Failed<string>(new InvalidOperationException("the key source broke")));
        var run = RunToList(source.Via(CouchbaseFlow.Get(CouchbaseReadSettings.Default.WithTimeout(TimeSpan.FromSeconds(30)))));

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => run.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("the key source broke", e.Message);
    }

    [Fact]
    public async Task Upstream_completion_waits_for_every_reply()
    {
        // Node 0 answers late; the 40 keys are all pulled at once (parallelism 64) and the source completes at once.
        var keys = Enumerable.Range(0, 40).Select(i => $"complete-{i}").ToList();
        Server.Cluster.Faults.Hiccup(0, TimeSpan.FromMilliseconds(300));
        var results = await RunToList(Source.From(keys).Via(CouchbaseFlow.Get(CouchbaseReadSettings.Default.WithParallelism(64))));

        Assert.Equal(keys, results.Select(r => r.PassThrough));
        Assert.Contains(keys, k => Server.NodeOf(k) == 0);
    }
}
