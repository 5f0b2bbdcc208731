using Akka.Configuration;
using Akka.Couchbase.Streams.Dsl;
using Akka.Couchbase.Streams.Views;
using Akka.Streams;
using Akka.Streams.Dsl;
using Xunit;
using ViewFaults = Akka.Couchbase.TestKit.Views.ViewFaults;
using ViewResponseOutcome = Akka.Couchbase.TestKit.Views.ViewResponseOutcome;
using Xunit.Abstractions;

namespace Akka.Couchbase.Streams.Tests;

/// <summary>
/// A server that stalls once the headers came (or mid-rows) fails the stream after the idle timeout, with an error
/// that names the view, the node and the rows read so far; the connection is closed, so the server's response ends.
/// </summary>
[Collection(BeerViewsCollection.Name)]
public sealed class ViewIdleTimeoutSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly ViewSettings Settings = new() { IdleTimeout = TimeSpan.FromMilliseconds(500) };

    private readonly BeerSampleCluster _beer;

    public ViewIdleTimeoutSpec(BeerSampleCluster beer, ITestOutputHelper output)
        : base(ConfigurationFactory.ParseString(beer.Hocon() + "\nakka.couchbase.views.idle-timeout = 700ms"), output: output)
    {
        _beer = beer;
    }

    private CouchbaseClient Client => CouchbaseExtension.Get(Sys).Client;

    private ViewFaults Faults => _beer.Cluster.Views.Faults;

    [Theory]
    [InlineData(0)]
    [InlineData(120)]
    public async Task A_stalled_server_fails_the_stream_naming_the_view_the_node_and_the_rows_read(int stallAfter)
    {
        var views = _beer.Cluster.Views;
        var ended = views.Responses.Count;
        Faults.StallAfterRows = stallAfter;
        List<ViewRow> seen = new();
        ViewQueryException failure;
        try
        {
            var done = CouchbaseViews.Query(Client, new ViewQuery("beer", "brewery_beers"), Settings)
                .RunForeach(seen.Add, Sys.Materializer());
            failure = await Assert.ThrowsAsync<ViewQueryException>(() => done.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            Faults.StallAfterRows = null; // the server resumes writing, to a connection the client has closed
        }

        Output.WriteLine(failure.Message);
        Assert.Equal(stallAfter, seen.Count);
        var node = failure.Uri!.GetLeftPart(UriPartial.Authority);
        Assert.Contains(_beer.Cluster.Nodes, n => failure.Uri.Port == n.ViewsPort);
        Assert.Contains("beer/brewery_beers", failure.Message);
        Assert.Contains(node, failure.Message);
        Assert.Contains($"after {stallAfter} rows", failure.Message);
        Assert.Contains("500ms", failure.Message);

        var end = await views.Responses.NextAsync(after: ended).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ViewResponseOutcome.ClientGone, end.Outcome);
    }

    [Fact]
    public async Task The_idle_timeout_comes_from_hocon()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(700), ViewSettings.Create(Sys).IdleTimeout);
        Faults.StallAfterRows = 5;
        try
        {
            var e = await Assert.ThrowsAsync<ViewQueryException>(() =>
                Client.QueryAllAsync(Sys, new ViewQuery("beer", "brewery_beers")).WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("no data for 700ms", e.Message);
            Assert.Contains("after 5 rows", e.Message);
        }
        finally
        {
            Faults.StallAfterRows = null;
        }
    }

    [Fact]
    public async Task A_slow_consumer_does_not_trip_the_idle_timeout()
    {
        // Only reads the consumer asked for are timed: pauses longer than the timeout between pulls are fine, also
        // when many network reads come after them (2,000 rows are some 180 KB, read 16 KB at a time).
        var queue = CouchbaseViews.Query(Client, new ViewQuery("beer", "brewery_beers") { Limit = 2000 }, Settings)
            .RunWith(Sink.Queue<ViewRow>().WithAttributes(Attributes.CreateInputBuffer(1, 1)), Sys.Materializer());
        var rows = 0;
        while ((await queue.PullAsync()).HasValue)
        {
            if (++rows % 700 == 0) await Task.Delay(Settings.IdleTimeout * 2); // the consumer is busy
        }
        Assert.Equal(2000, rows);
    }
}
