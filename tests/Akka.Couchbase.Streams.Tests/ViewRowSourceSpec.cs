using Akka.Couchbase.Streams.Dsl;
using Akka.Couchbase.Streams.Views;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using Xunit;
using Xunit.Abstractions;
using Akka.Couchbase.Tests.Shared;

namespace Akka.Couchbase.Streams.Tests;

/// <summary>
/// The view row source against the in-process cluster's views service over HTTP, on Couchbase's beer-sample data:
/// the results the original Twisted client printed for it, and the contracts of a backpressured stream.
/// </summary>
public sealed class ViewRowSourceSpec : Akka.TestKit.Xunit2.TestKit, IClassFixture<BeerSampleCluster>
{
    private readonly BeerSampleCluster _beer;

    public ViewRowSourceSpec(BeerSampleCluster beer, ITestOutputHelper output)
        : base(ConfigurationFactory.ParseString(beer.Hocon()), output: output)
    {
        _beer = beer;
    }

    private CouchbaseClient Client => CouchbaseExtension.Get(Sys).Client;

    [Fact]
    public async Task Query_all_with_limit_5_returns_the_rows_the_original_printed()
    {
        var result = await Client.QueryAllAsync(Sys, new ViewQuery("beer", "brewery_beers") { Limit = 5 });
        Assert.Equal(BeerSampleFacts.FirstFiveBreweryBeers, result.Rows.Select(r => r.Id));
        Assert.Equal(new[] { "21st_amendment_brewery_cafe" }, result.Rows[0].KeyAs<string[]>());
        Assert.Equal(new[] { "21st_amendment_brewery_cafe", "21st_amendment_brewery_cafe-21a_ipa" }, result.Rows[1].KeyAs<string[]>());
        Assert.All(result.Rows, r => Assert.Equal(Newtonsoft.Json.Linq.JTokenType.Null, r.Value.Type));
        Assert.Equal(7303, result.TotalRows);
        Assert.Equal("ViewRow(key=[\"21st_amendment_brewery_cafe\"], value=null, docid=21st_amendment_brewery_cafe)", result.Rows[0].ToString());
    }

    [Fact]
    public async Task Streaming_the_whole_view_delivers_every_row_and_total_rows()
    {
        var (metadata, count) = CouchbaseViews.Query(Client, new ViewQuery("beer", "brewery_beers"))
            .ToMaterialized(Sink.Aggregate<ViewRow, int>(0, (n, _) => n + 1), Keep.Both)
            .Run(Sys.Materializer());
        Assert.Equal(7303, await count);
        var meta = await metadata;
        Assert.Equal((7303L, 7303L), (meta.TotalRows!.Value, meta.RowsRead));
    }

    [Fact]
    public async Task By_location_reduces_with_the_count_the_data_readme_gives()
    {
        var q = new ViewQuery("beer", "by_location");
        Assert.Equal(1411, (await Client.QueryAllAsync(Sys, q with { Reduce = false })).Rows.Count);
        Assert.Equal(63, (await Client.QueryAllAsync(Sys, q with { GroupLevel = 1 })).Rows.Count);
        Assert.Equal(1044, (await Client.QueryAllAsync(Sys, q with { Group = true })).Rows.Count);
        var plain = await Client.QueryAllAsync(Sys, q);
        Assert.Equal(1411, Assert.Single(plain.Rows).ValueAs<int>());
        Assert.Null(plain.TotalRows);
    }

    [Fact]
    public async Task Keys_select_rows_through_a_post()
    {
        var result = await Client.QueryAllAsync(Sys, new ViewQuery("beer", "by_location")
            { Keys = new object?[] { new[] { "Belgium" }, new[] { "Nowhere" } }, GroupLevel = 1 });
        var row = Assert.Single(result.Rows);
        Assert.Equal(new[] { "Belgium" }, row.KeyAs<string[]>());
        Assert.True(row.ValueAs<int>() > 0);
    }

    [Fact]
    public async Task A_missing_view_fails_with_the_servers_error_and_reason()
    {
        var e = await Assert.ThrowsAsync<ViewQueryException>(() => Client.QueryAllAsync(Sys, new ViewQuery("beer", "no_such_view")));
        Assert.Equal((404, "not_found"), (e.HttpStatus, e.Error));
        Assert.Contains("beer/no_such_view", e.Message);
        var bad = await Assert.ThrowsAsync<ViewQueryException>(() =>
            Client.QueryAllAsync(Sys, new ViewQuery("beer", "brewery_beers") { Reduce = true }));
        Assert.Equal((400, "query_parse_error"), (bad.HttpStatus, bad.Error));
    }

    [Fact]
    public async Task Temporary_errors_are_retried_before_the_first_row()
    {
        _beer.Cluster.Faults.Views.FailNextQueries(2);
        var result = await Client.QueryAllAsync(Sys, new ViewQuery("beer", "brewery_beers") { Limit = 3 });
        Assert.Equal(3, result.Rows.Count);
    }

    [Fact]
    public async Task A_response_cut_mid_stream_fails_the_stream_and_its_metadata()
    {
        _beer.Cluster.Faults.Views.FailAfterRows = 100;
        try
        {
            var (metadata, rows) = CouchbaseViews.Query(Client, new ViewQuery("beer", "brewery_beers"))
                .ToMaterialized(Sink.Seq<ViewRow>(), Keep.Both)
                .Run(Sys.Materializer());
            var e = await Assert.ThrowsAsync<ViewQueryException>(() => rows);
            Assert.Contains("beer/brewery_beers", e.Message);
            await Assert.ThrowsAsync<ViewQueryException>(() => metadata);
        }
        finally
        {
            _beer.Cluster.Faults.Views.FailAfterRows = null;
        }
    }

    [Fact]
    public async Task A_slow_consumer_slows_the_server()
    {
        var client = CouchbaseExtension.Get(Sys).CreateClient(
            CouchbaseSettings.Create(ConfigurationFactory.ParseString(_beer.Hocon("big")).GetConfig("akka.couchbase")), "big-client");
        var query = new ViewQuery("big", "all");
        await client.QueryAllAsync(Sys, query with { Limit = 1 }); // builds the index first
        var views = _beer.Cluster.Views;
        var before = views.RowsProduced;
        var blockedBefore = views.BlockedWrites.Count;
        var queue = CouchbaseViews.Query(client, query)
            .RunWith(Sink.Queue<ViewRow>().WithAttributes(Attributes.CreateInputBuffer(1, 1)), Sys.Materializer());
        for (var i = 0; i < 10; i++) Assert.True((await queue.PullAsync()).HasValue);

        // The consumer takes no more: the server's writer ends up waiting on a socket the client no longer reads.
        var stall = await views.BlockedWrites.CurrentOrNextAsync(after: blockedBefore).WaitAsync(TimeSpan.FromSeconds(30));
        var producedWhilePaused = views.RowsProduced - before;
        // The 10 rows taken were produced; beyond them only what the socket buffers hold got ahead of the consumer.
        Assert.True(stall.Progress is >= 10 and < BeerSampleCluster.BigRows / 2,
            $"the server had produced {stall.Progress} of {BeerSampleCluster.BigRows} rows when it blocked, for a consumer that took 10");
        Assert.True(producedWhilePaused < BeerSampleCluster.BigRows / 2,
            $"the server produced {producedWhilePaused} of {BeerSampleCluster.BigRows} rows for a consumer that took 10");
        var rest = 0;
        while ((await queue.PullAsync()).HasValue) rest++;
        Assert.Equal(BeerSampleCluster.BigRows - 10, rest);
    }

    [Fact]
    public async Task Cancelling_early_completes_the_metadata_and_closes_the_response()
    {
        var (metadata, first) = CouchbaseViews.Query(Client, new ViewQuery("beer", "brewery_beers"))
            .Take(3)
            .ToMaterialized(Sink.Seq<ViewRow>(), Keep.Both)
            .Run(Sys.Materializer());
        Assert.Equal(3, (await first).Count);
        var meta = await metadata;
        Assert.Equal(7303, meta.TotalRows);
    }

    [Fact]
    public async Task Memcached_buckets_have_no_views()
    {
        var client = CouchbaseExtension.Get(Sys).CreateClient(
            CouchbaseSettings.Create(ConfigurationFactory.ParseString("bucket-type = memcached")), "memcached-client");
        var e = await Assert.ThrowsAsync<ViewQueryException>(() => client.QueryAllAsync(Sys, new ViewQuery("beer", "brewery_beers")));
        Assert.Contains("memcached bucket", e.Message);
    }
}
