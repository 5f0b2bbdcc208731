using System.Net.Http.Headers;
using System.Text;
using Akka.Couchbase.TestKit.Data;
using Akka.Couchbase.TestKit.Tests.Support;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.TestKit.Tests.Data;

public sealed class BeerSampleTests : ClusterTestBase
{
    private readonly ITestOutputHelper _output;

    public BeerSampleTests(ITestOutputHelper output) => _output = output;

    protected override InProcessClusterOptions Options() => new()
    {
        Nodes = 2,
        Buckets = { new BucketDefinition("beer-sample", BucketType.Couchbase, VBuckets: 64, Replicas: 1) },
    };

    [Fact]
    public async Task Loads_documents_and_design_docs_and_answers_brewery_beers_limit_5()
    {
        var zip = BeerSample.FindZip(AppContext.BaseDirectory) ?? BeerSample.FindZip();
        Assert.True(zip is not null,
            $"shared/data/beer-sample.zip not found above {AppContext.BaseDirectory} or {Directory.GetCurrentDirectory()}: " +
            "these tests read Couchbase's sample bucket in place from ../shared/data");
        var loaded = await BeerSample.LoadAsync(Cluster, "beer-sample", zip!);
        Assert.Equal(7303, loaded);
        Assert.Equal(7303, Cluster.Bucket("beer-sample").Count);
        var doc = Cluster.Bucket("beer-sample").Get("21st_amendment_brewery_cafe")!;
        Assert.Equal(0x02000000u, doc.Flags);
        Assert.NotNull(Cluster.DesignDocuments.Get("beer-sample", "beer"));

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("Administrator:password")));
        var body = await http.GetStringAsync($"http://127.0.0.1:{Cluster.Nodes[1].ViewsPort}/beer-sample/_design/beer/_view/brewery_beers?limit=5&stale=false");
        var result = JObject.Parse(body);
        Assert.Equal(7303, result.Value<int>("total_rows"));
        var ids = result["rows"]!.Select(r => r.Value<string>("id")).ToArray();
        Assert.Equal(new[]
        {
            "21st_amendment_brewery_cafe",
            "21st_amendment_brewery_cafe-21a_ipa",
            "21st_amendment_brewery_cafe-563_stout",
            "21st_amendment_brewery_cafe-amendment_pale_ale",
            "21st_amendment_brewery_cafe-bitter_american",
        }, ids);

        // a slowed view stream takes at least the configured delay per chunk
        Cluster.Faults.SlowViews(TimeSpan.FromMilliseconds(300));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var slow = JObject.Parse(await http.GetStringAsync($"http://127.0.0.1:{Cluster.Nodes[0].ViewsPort}/beer-sample/_design/beer/_view/brewery_beers?limit=5"));
        Assert.Equal(5, ((JArray)slow["rows"]!).Count);
        Assert.True(sw.ElapsedMilliseconds >= 250, $"slowed query answered in {sw.ElapsedMilliseconds} ms");
        Cluster.Faults.Reset();

        using var mgmt = new HttpClient();
        mgmt.DefaultRequestHeaders.Authorization = http.DefaultRequestHeaders.Authorization;
        var ddocs = JObject.Parse(await mgmt.GetStringAsync($"http://127.0.0.1:{Cluster.Nodes[0].MgmtPort}/pools/default/buckets/beer-sample/ddocs"));
        Assert.Equal("_design/beer", ddocs["rows"]![0]!["doc"]!["meta"]!.Value<string>("id"));
    }
}
