using Akka.Actor;
using Akka.Configuration;
using Akka.Couchbase.Streams.Dsl;
using Akka.Couchbase.Streams.Views;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit;
using Akka.Couchbase.Tests.Shared;
using Xunit;
using ViewResponseOutcome = Akka.Couchbase.TestKit.Views.ViewResponseOutcome;
using Xunit.Abstractions;

namespace Akka.Couchbase.Streams.Tests;

/// <summary>
/// Rows into an actor (the original's row handler): batches, each acknowledged before the next comes, then the
/// completion (<c>on_done</c>) or the failure (<c>on_error</c>), with no row dropped when the stream fails.
/// </summary>
[Collection(BeerViewsCollection.Name)]
public sealed class ViewRowsToActorSpec : Akka.TestKit.Xunit2.TestKit
{
    private readonly BeerSampleCluster _beer;

    public ViewRowsToActorSpec(BeerSampleCluster beer, ITestOutputHelper output)
        : base(ConfigurationFactory.ParseString(beer.Hocon()), output: output)
    {
        _beer = beer;
    }

    private CouchbaseClient Client => CouchbaseExtension.Get(Sys).Client;

    /// <summary>Acknowledges every batch and collects the rows until the last message.</summary>
    private static (List<T> Rows, List<ViewRowBatch<T>> Batches, object Last) Receive<T>(TestProbe probe)
    {
        var rows = new List<T>();
        var batches = new List<ViewRowBatch<T>>();
        while (true)
        {
            var message = probe.ReceiveOne(TimeSpan.FromSeconds(30));
            if (message is not ViewRowBatch<T> batch) return (rows, batches, message!);
            batches.Add(batch);
            rows.AddRange(batch.Rows);
            probe.LastSender.Tell(ViewRowsAck.Instance, probe.Ref);
        }
    }

    [Fact]
    public async Task The_whole_view_arrives_in_acknowledged_batches_then_the_completion_with_the_indexed_rows()
    {
        var probe = CreateTestProbe();
        var done = Client.QueryToActor(Sys, new ViewQuery("beer", "brewery_beers"), probe.Ref, maxBatch: 50);

        var (rows, batches, last) = Receive<ViewRow>(probe);
        await done.WaitAsync(TimeSpan.FromSeconds(30));

        var completed = Assert.IsType<ViewRowsCompleted>(last);
        Output.WriteLine($"{batches.Count} batches, {rows.Count} rows, indexed rows: {completed.TotalRows}");
        Assert.Equal((7303L, (long)batches.Count, 7303L), (completed.Rows, completed.Batches, completed.TotalRows!.Value));
        Assert.Equal(Enumerable.Range(1, batches.Count).Select(i => (long)i), batches.Select(b => b.Sequence));
        Assert.All(batches, b => Assert.InRange(b.Rows.Count, 1, 50));
        Assert.Equal(BeerSampleFacts.FirstFiveBreweryBeers, rows.Take(5).Select(r => r.Id));
        var all = await Client.QueryAllAsync(Sys, new ViewQuery("beer", "brewery_beers"));
        Assert.Equal(all.Rows, rows);
    }

    [Fact]
    public void No_batch_comes_before_the_previous_one_is_acknowledged_and_the_held_rows_are_bounded()
    {
        const int maxBatch = 8;
        var emitted = 0;
        var probe = CreateTestProbe();
        Source.From(Enumerable.Range(1, 100))
            .Select(i =>
            {
                Interlocked.Increment(ref emitted);
                return i;
            })
            .RunWith(CouchbaseViews.ToActor<int>(probe.Ref, maxBatch), Sys.Materializer());

        var first = probe.ExpectMsg<ViewRowBatch<int>>();
        Assert.Equal(new[] { 1 }, first.Rows);
        // While the first batch waits, the sink takes rows until it holds a batch's worth, and no batch goes.
        AwaitCondition(() => Volatile.Read(ref emitted) >= 1 + maxBatch, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(5));
        Assert.False(probe.HasMessages, "a batch came before the previous one was acknowledged");

        probe.LastSender.Tell(ViewRowsAck.Instance, probe.Ref);
        var second = probe.ExpectMsg<ViewRowBatch<int>>();
        Assert.Equal(Enumerable.Range(2, maxBatch), second.Rows);
        Assert.Equal(2, second.Sequence);

        probe.LastSender.Tell(ViewRowsAck.Instance, probe.Ref);
        var (rows, _, last) = Receive<int>(probe);
        Assert.Equal(Enumerable.Range(2 + maxBatch, 100 - 1 - maxBatch), rows);
        Assert.Equal(100, Assert.IsType<ViewRowsCompleted>(last).Rows);
    }

    [Fact]
    public void Rows_held_when_the_stream_fails_are_delivered_before_the_failure()
    {
        var probe = CreateTestProbe();
        var boom = new InvalidOperationException("boom");
        Source.From(Enumerable.Range(1, 5)).Concat(Source.Failed<int>(boom))
            .RunWith(CouchbaseViews.ToActor<int>(probe.Ref, maxBatch: 10), Sys.Materializer());

        // The first row goes alone; the other four and the failure reach the sink while it waits for the ack.
        Assert.Equal(new[] { 1 }, probe.ExpectMsg<ViewRowBatch<int>>().Rows);
        probe.LastSender.Tell(ViewRowsAck.Instance, probe.Ref);
        var (rows, batches, last) = Receive<int>(probe);

        Assert.Equal(new[] { 2, 3, 4, 5 }, rows);
        var failed = Assert.IsType<ViewRowsFailed>(last);
        Assert.Same(boom, failed.Cause);
        Assert.Equal((5L, 1L + batches.Count), (failed.RowsDelivered, failed.Batches));
    }

    [Fact]
    public async Task A_view_cut_mid_stream_delivers_the_rows_read_then_the_failure_naming_the_view()
    {
        _beer.Cluster.Views.Faults.FailAfterRows = 100;
        try
        {
            var probe = CreateTestProbe();
            var done = Client.QueryToActor(Sys, new ViewQuery("beer", "brewery_beers"), probe.Ref, maxBatch: 30);

            var (rows, _, last) = Receive<ViewRow>(probe);
            await done.WaitAsync(TimeSpan.FromSeconds(30));

            var failed = Assert.IsType<ViewRowsFailed>(last);
            var cause = Assert.IsType<ViewQueryException>(failed.Cause);
            Assert.Contains("beer/brewery_beers", cause.Message);
            Assert.Equal(rows.Count, failed.RowsDelivered);
            Assert.InRange(rows.Count, 1, 100);
        }
        finally
        {
            _beer.Cluster.Views.Faults.Reset();
        }
    }

    [Fact]
    public async Task A_receiver_that_stops_cancels_the_stream_and_the_server_sees_the_connection_closed()
    {
        var views = _beer.Cluster.Views;
        var query = new ViewQuery("beer", "brewery_beers");
        var warmUp = views.Responses.Count;
        await Client.QueryAllAsync(Sys, query with { Limit = 1 }); // the index is built before the server is slowed
        // The server records a response's end just after its last byte: wait for it, so that it is not taken for the next one's.
        await views.Responses.NextAsync(after: warmUp).WaitAsync(TimeSpan.FromSeconds(30));
        views.Faults.RowDelay = TimeSpan.FromMilliseconds(20); // the 7,303 rows take some 3 s to produce
        try
        {
            var ended = views.Responses.Count;
            var probe = CreateTestProbe();
            var done = Client.QueryToActor(Sys, query, probe.Ref, maxBatch: 10);

            probe.ExpectMsg<ViewRowBatch<ViewRow>>(TimeSpan.FromSeconds(30));
            Sys.Stop(probe.Ref);

            var e = await Assert.ThrowsAsync<ViewQueryException>(() => done.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("receiver", e.Message);
            var end = await views.Responses.NextAsync(after: ended).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(ViewResponseOutcome.ClientGone, end.Outcome);
            Assert.True(end.RowsProduced < 1000, $"the server produced {end.RowsProduced} rows for a receiver that stopped after 1");
        }
        finally
        {
            views.Faults.Reset();
        }
    }
}
