using Akka.Configuration;
using Akka.Couchbase.Streams.Dsl;
using Akka.Couchbase.Streams.Views;
using Akka.Streams;
using Akka.Streams.Dsl;
using Xunit;
using ViewService = Akka.Couchbase.TestKit.Views.ViewService;
using ViewResponseOutcome = Akka.Couchbase.TestKit.Views.ViewResponseOutcome;
using Xunit.Abstractions;

namespace Akka.Couchbase.Streams.Tests;

/// <summary>
/// A view stream that stops early closes its HTTP response at once: the server sees the connection closed and stops
/// producing rows, instead of writing on while the response is drained for reuse. Decided from the server's own
/// account of the response (<see cref="ViewService.Responses"/>: the rows it produced for it, and how it ended).
/// </summary>
[Collection(BeerViewsCollection.Name)]
public sealed class ViewCancellationSpec : Akka.TestKit.Xunit2.TestKit
{
    // Slowed so: a server writing on for the ~2 s a drain lasts would produce thousands of rows more.
    private static readonly TimeSpan ChunkDelay = TimeSpan.FromMilliseconds(20);

    // Rows of brewery_beers fit about 45 to a chunk: a server that stops at its next write or two after the
    // connection closed produces a few chunks beyond the rows taken; one drained for 2 s, about 100 chunks.
    private const int Slack = 1000;

    private readonly BeerSampleCluster _beer;

    public ViewCancellationSpec(BeerSampleCluster beer, ITestOutputHelper output)
        : base(ConfigurationFactory.ParseString(beer.Hocon()), output: output)
    {
        _beer = beer;
    }

    private CouchbaseClient Client => CouchbaseExtension.Get(Sys).Client;

    private ViewService Views => _beer.Cluster.Views;

    [Fact]
    public async Task Taking_100_rows_of_a_slowed_server_stops_it_at_once()
    {
        var query = new ViewQuery("beer", "brewery_beers");
        var warmUp = Views.Responses.Count;
        await Client.QueryAllAsync(Sys, query with { Limit = 1 }); // the index is built before the server is slowed
        // The server records a response's end just after its last byte: wait for it, so that it is not taken for the next one's.
        await Views.Responses.NextAsync(after: warmUp).WaitAsync(TimeSpan.FromSeconds(30));
        Views.Faults.RowDelay = ChunkDelay;
        try
        {
            var ended = Views.Responses.Count;
            var rows = await CouchbaseViews.Query(Client, query).Take(100).RunWith(Sink.Seq<ViewRow>(), Sys.Materializer());
            Assert.Equal(100, rows.Count);

            var end = await Views.Responses.NextAsync(after: ended).WaitAsync(TimeSpan.FromSeconds(30));
            Output.WriteLine($"{end}");
            Assert.Equal(("beer", "brewery_beers"), (end.DesignDocument, end.View));
            Assert.Equal(ViewResponseOutcome.ClientGone, end.Outcome);
            Assert.True(end.RowsProduced < 100 + Slack,
                $"the server produced {end.RowsProduced} rows for a stream that took 100 and cancelled");
        }
        finally
        {
            Views.Faults.Reset();
        }
    }

    [Fact]
    public async Task A_stream_read_to_its_end_completes_its_response()
    {
        var ended = Views.Responses.Count;
        var rows = await CouchbaseViews.Query(Client, new ViewQuery("beer", "brewery_beers") { Limit = 500 })
            .RunWith(Sink.Seq<ViewRow>(), Sys.Materializer());

        var end = await Views.Responses.NextAsync(after: ended).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((500, 500L, ViewResponseOutcome.Completed), (rows.Count, end.RowsProduced, end.Outcome));
    }

    [Fact]
    public async Task Cancelling_QueryAllAsync_stops_the_server()
    {
        var query = new ViewQuery("beer", "brewery_beers");
        var warmUp = Views.Responses.Count;
        await Client.QueryAllAsync(Sys, query with { Limit = 1 });
        await Views.Responses.NextAsync(after: warmUp).WaitAsync(TimeSpan.FromSeconds(30));
        Views.Faults.RowDelay = ChunkDelay;
        try
        {
            var ended = Views.Responses.Count;
            var producedBefore = Views.RowsProduced;
            using var cancel = new CancellationTokenSource();
            var all = Client.QueryAllAsync(Sys, query, cancel.Token);
            // Cancelled once the server has produced a few hundred rows, well before its 7,303.
            await AwaitConditionAsync(() => Task.FromResult(Views.RowsProduced - producedBefore >= 300), TimeSpan.FromSeconds(30),
                interval: TimeSpan.FromMilliseconds(5));
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => all);

            var end = await Views.Responses.NextAsync(after: ended).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(ViewResponseOutcome.ClientGone, end.Outcome);
            Assert.True(end.RowsProduced < 300 + Slack, $"the server produced {end.RowsProduced} rows for a query cancelled at 300");
        }
        finally
        {
            Views.Faults.Reset();
        }
    }
}
