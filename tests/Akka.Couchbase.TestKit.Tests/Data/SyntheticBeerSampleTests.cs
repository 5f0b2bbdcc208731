using System.Net.Http.Headers;
using System.Text;
using Akka.Couchbase.TestKit.Data;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Data;

/// <summary>
/// The generated data set has beer-sample's shape, so that the views of the tour run on any clone: as many breweries
/// and beers, every beer under its brewery in <c>brewery_beers</c>, and <c>by_location</c> counting breweries.
/// </summary>
public sealed class SyntheticBeerSampleTests
{
    [Fact]
    public async Task It_loads_breweries_and_beers_that_the_beer_views_index_as_the_real_ones()
    {
        await using var cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions
        {
            Buckets = { new BucketDefinition(BeerSample.BucketName, BucketType.Couchbase, VBuckets: 16, Replicas: 0) },
        });
        var loaded = SyntheticBeerSample.Load(cluster);
        Assert.Equal(SyntheticBeerSample.DefaultBreweries + SyntheticBeerSample.DefaultBeers, loaded);
        Assert.Equal(loaded, cluster.Bucket(BeerSample.BucketName).Count);

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("Administrator:password")));
        var views = $"http://127.0.0.1:{cluster.Nodes[0].ViewsPort}/beer-sample/_design/beer/_view";
        var rows = JObject.Parse(await http.GetStringAsync($"{views}/brewery_beers?stale=false"));
        Assert.Equal(loaded, rows.Value<int>("total_rows"));
        var all = rows["rows"]!.ToList();
        // A brewery's row ([brewery]) comes first, then its beers ([brewery, beer]), as in the real data set.
        Assert.Single(all[0]["key"]!);
        string? brewery = null;
        foreach (var row in all)
        {
            var key = (JArray)row["key"]!;
            if (key.Count == 1) brewery = key[0]!.Value<string>();
            else Assert.Equal(brewery, key[0]!.Value<string>());
        }

        var byLocation = JObject.Parse(await http.GetStringAsync($"{views}/by_location?stale=false"));
        Assert.Equal(SyntheticBeerSample.DefaultBreweries, byLocation["rows"]![0]!.Value<int>("value"));
        Assert.Equal(SyntheticBeerSample.Documents().First().Json, SyntheticBeerSample.Documents().First().Json); // same seed, same data
    }
}
