using Akka.Couchbase.Streams.Dsl;
using Akka.Couchbase.Streams.Views;
using Akka.Couchbase.TestKit.Data;
using Akka.Streams;
using Akka.Streams.Dsl;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;
using Akka.Couchbase.Tests.Shared;

namespace Akka.Couchbase.Streams.Tests.Interop;

/// <summary>
/// The view row source against a CouchDB-compatible server no one here wrote (PouchDB Server), loaded with the
/// beer-sample documents and the beer design document rewritten for CouchDB's <c>function(doc)</c>: the same rows
/// come back, read through CouchDB's response shape (with its extra <c>offset</c> member).
/// </summary>
public sealed class CouchDbViewServerSpec : Akka.TestKit.Xunit2.TestKit
{
    public CouchDbViewServerSpec(ITestOutputHelper output) : base(output: output) { }

    [Fact]
    public async Task Brewery_beers_and_by_location_read_the_same_from_a_couchdb_compatible_server()
    {
        var zip = BeerSample.LocateZip();
        await using var server = await PouchDbServer.StartAsync();
        await server.PutAsync("beer-sample", "{}");
        var docs = BeerSample.ReadDocuments(zip)
            .Select(d =>
            {
                var doc = JObject.Parse(System.Text.Encoding.UTF8.GetString(d.Json));
                doc["_id"] = d.Id;
                return (object)doc;
            })
            .ToList();
        foreach (var chunk in docs.Chunk(1000)) await server.BulkAsync("beer-sample", chunk);
        var design = JObject.Parse(System.Text.Encoding.UTF8.GetString(BeerSample.ReadDesignDocuments(zip).Single(d => d.Name == "beer").Json));
        foreach (var view in ((JObject)design["views"]!).Properties())
            view.Value["map"] = view.Value["map"]!.ToString()
                .Replace("function(doc, meta)", "function(doc)").Replace("function (doc, meta)", "function(doc)")
                .Replace("meta.id", "doc._id");
        design.Remove("_id");
        await server.PutAsync("beer-sample/_design/beer", design.ToString());

        var settings = new ViewSettings { Endpoints = new[] { new Uri($"http://127.0.0.1:{server.Port}/beer-sample") }, Timeout = TimeSpan.FromMinutes(2) };
        var (metadata, rows) = CouchbaseViews.Query(new ViewQuery("beer", "brewery_beers") { Limit = 5 }, settings)
            .ToMaterialized(Sink.Seq<ViewRow>(), Keep.Both)
            .Run(Sys.Materializer());
        Assert.Equal(BeerSampleFacts.FirstFiveBreweryBeers, (await rows).Select(r => r.Id));
        Assert.Equal(7303, (await metadata).TotalRows);

        var count = await CouchbaseViews.Query(new ViewQuery("beer", "by_location") { Reduce = false }, settings)
            .RunWith(Sink.Aggregate<ViewRow, int>(0, (n, _) => n + 1), Sys.Materializer());
        Assert.Equal(1411, count);
        var total = await CouchbaseViews.Query(new ViewQuery("beer", "by_location"), settings)
            .RunWith(Sink.Seq<ViewRow>(), Sys.Materializer());
        Assert.Equal(1411, Assert.Single(total).ValueAs<int>());

        var missing = await Assert.ThrowsAsync<ViewQueryException>(() =>
            CouchbaseViews.Query(new ViewQuery("beer", "nope"), settings).RunWith(Sink.Seq<ViewRow>(), Sys.Materializer()));
        Assert.Equal(404, missing.HttpStatus);
    }
}
