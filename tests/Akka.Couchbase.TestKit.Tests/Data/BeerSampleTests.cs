using System.Net.Http.Headers;
using System.Text;
using Akka.Couchbase.TestKit.Data;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;
using Akka.Couchbase.Tests.Shared;

namespace Akka.Couchbase.TestKit.Tests.Data;

public sealed class BeerSampleTests
{
    private readonly ITestOutputHelper _output;

    public BeerSampleTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Loads_documents_and_design_docs_and_answers_brewery_beers_limit_5()
    {
        var zip = BeerSample.LocateZip();
        await using var cluster = await BeerSample.StartClusterAsync(zip, new InProcessClusterOptions
        {
            Nodes = 2,
            Buckets = { new BucketDefinition("copy", BucketType.Couchbase, VBuckets: 16, Replicas: 0) },
        });
        // the beer-sample bucket is added beside the ones the options define
        Assert.Equal(new[] { "copy", "beer-sample" }, cluster.Options.Buckets.Select(b => b.Name));
        Assert.Equal(new BucketDefinition("beer-sample", BucketType.Couchbase, VBuckets: 64, Replicas: 1), cluster.Options.Buckets[1]);
        var loaded = await BeerSample.LoadAsync(cluster, "copy", zip);
        Assert.Equal(7303, loaded);
        Assert.Equal(7303, cluster.Bucket("copy").Count);
        Assert.Equal(7303, cluster.Bucket("beer-sample").Count);
        var doc = cluster.Bucket("beer-sample").Get("21st_amendment_brewery_cafe")!;
        Assert.Equal(0x02000000u, doc.Flags);
        Assert.NotNull(cluster.DesignDocuments.Get("beer-sample", "beer"));

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("Administrator:password")));
        var body = await http.GetStringAsync($"http://127.0.0.1:{cluster.Nodes[1].ViewsPort}/beer-sample/_design/beer/_view/brewery_beers?limit=5&stale=false");
        var result = JObject.Parse(body);
        Assert.Equal(7303, result.Value<int>("total_rows"));
        var ids = result["rows"]!.Select(r => r.Value<string>("id")).ToArray();
        Assert.Equal(BeerSampleFacts.FirstFiveBreweryBeers, ids);

        // a slowed view stream takes at least the configured delay per chunk
        cluster.Faults.SlowViews(TimeSpan.FromMilliseconds(300));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var slow = JObject.Parse(await http.GetStringAsync($"http://127.0.0.1:{cluster.Nodes[0].ViewsPort}/beer-sample/_design/beer/_view/brewery_beers?limit=5"));
        Assert.Equal(5, ((JArray)slow["rows"]!).Count);
        Assert.True(sw.ElapsedMilliseconds >= 250, $"slowed query answered in {sw.ElapsedMilliseconds} ms");
        cluster.Faults.Reset();

        using var mgmt = new HttpClient();
        mgmt.DefaultRequestHeaders.Authorization = http.DefaultRequestHeaders.Authorization;
        var ddocs = JObject.Parse(await mgmt.GetStringAsync($"http://127.0.0.1:{cluster.Nodes[0].MgmtPort}/pools/default/buckets/beer-sample/ddocs"));
        Assert.Equal("_design/beer", ddocs["rows"]![0]!["doc"]!["meta"]!.Value<string>("id"));
    }
}
