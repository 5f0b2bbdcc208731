using System.Globalization;
using System.Text;
using Akka.Couchbase.Protocol;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Data;

/// <summary>
/// A made-up data set of the same shape as Couchbase's <c>beer-sample</c> (<see cref="BeerSample"/>), for clones
/// without the archive: breweries (<c>"type": "brewery"</c>, with name, city, state, country, ...) and their beers
/// (<c>"type": "beer"</c>, with <c>brewery_id</c>, abv, style, ...), and the design document <c>beer</c> with the
/// views <c>brewery_beers</c> (<c>[brewery id]</c> for a brewery, <c>[brewery id, beer id]</c> for a beer) and
/// <c>by_location</c> (<c>[country, state, city]</c> with a <c>_count</c> reduce). The same seed gives the same
/// documents; ids sort as the real ones do (a beer's id starts with its brewery's).
/// </summary>
public static class SyntheticBeerSample
{
    /// <summary>Breweries by default (the real data set has 1,412).</summary>
    public const int DefaultBreweries = 1_412;

    /// <summary>Beers by default (the real data set has 5,891).</summary>
    public const int DefaultBeers = 5_891;

    private static readonly string[] Words =
    {
        "amber", "anchor", "black", "copper", "crown", "eagle", "elm", "falls", "golden", "granite", "harbor", "hill",
        "iron", "lake", "lantern", "maple", "mill", "north", "oak", "pine", "red", "river", "rock", "stone", "summit",
        "valley", "west", "wild", "willow", "wolf",
    };

    private static readonly (string Country, string State, string City)[] Places =
    {
        ("United States", "California", "San Francisco"), ("United States", "Oregon", "Portland"),
        ("United States", "Colorado", "Denver"), ("United States", "Michigan", "Grand Rapids"),
        ("Belgium", "Brabant Wallon", "Wavre"), ("Germany", "Bayern", "Munich"), ("Canada", "Ontario", "Toronto"),
        ("United Kingdom", "Scotland", "Edinburgh"), ("Japan", "Tokyo", "Tokyo"), ("Mexico", "Jalisco", "Guadalajara"),
    };

    private static readonly string[] Styles =
    {
        "American-Style India Pale Ale", "American-Style Pale Ale", "Porter", "Oatmeal Stout", "Belgian-Style Tripel",
        "German-Style Pilsener", "American-Style Amber/Red Ale", "Light American Wheat Ale or Lager",
    };

    /// <summary>The design document <c>beer</c>, as JSON.</summary>
    public static string DesignDocument { get; } = new JObject
    {
        ["_id"] = "_design/beer",
        ["language"] = "javascript",
        ["views"] = new JObject
        {
            ["brewery_beers"] = new JObject
            {
                ["map"] = "function (doc, meta) {\n" +
                          "  if (doc.type === \"brewery\") { emit([meta.id]); }\n" +
                          "  else if (doc.type === \"beer\" && doc.brewery_id) { emit([doc.brewery_id, meta.id]); }\n" +
                          "}",
            },
            ["by_location"] = new JObject
            {
                ["map"] = "function (doc, meta) {\n" +
                          "  if (doc.city) { emit([doc.country, doc.state, doc.city], 1); }\n" +
                          "  else if (doc.state) { emit([doc.country, doc.state], 1); }\n" +
                          "  else if (doc.country) { emit([doc.country], 1); }\n" +
                          "}",
                ["reduce"] = "_count",
            },
        },
    }.ToString(Formatting.None);

    /// <summary>The documents, breweries and beers interleaved by brewery, as (id, JSON).</summary>
    public static IEnumerable<(string Id, byte[] Json)> Documents(int breweries = DefaultBreweries, int beers = DefaultBeers,
        int seed = 1)
    {
        if (breweries < 1) throw new ArgumentOutOfRangeException(nameof(breweries), "at least one brewery");
        if (beers < 0) throw new ArgumentOutOfRangeException(nameof(beers), "not negative");
        var random = new Random(seed);
        for (var b = 0; b < breweries; b++)
        {
            var name = $"{Title(random)} {Title(random)} Brewing {b}";
            var id = Slug(name);
            var place = Places[random.Next(Places.Length)];
            yield return (id, Json(new JObject
            {
                ["name"] = name,
                ["city"] = place.City,
                ["state"] = place.State,
                ["country"] = place.Country,
                ["phone"] = $"1-555-{random.Next(100, 999)}-{random.Next(1000, 9999)}",
                ["website"] = $"http://www.{id}.example/",
                ["type"] = "brewery",
                ["updated"] = "2010-07-22 20:00:20",
                ["description"] = $"A brewery by the {Words[random.Next(Words.Length)]}.",
                ["address"] = new JArray($"{random.Next(1, 999)} {Title(random)} Street"),
            }));
            // Spread the beers over the breweries: brewery b gets beers [b*beers/breweries, (b+1)*beers/breweries).
            var first = (int)((long)b * beers / breweries);
            var last = (int)((long)(b + 1) * beers / breweries);
            for (var i = first; i < last; i++)
            {
                var beerName = $"{Title(random)} {Title(random)} {i}";
                yield return ($"{id}-{Slug(beerName)}", Json(new JObject
                {
                    ["name"] = beerName,
                    ["abv"] = Math.Round(3 + random.NextDouble() * 9, 1),
                    ["ibu"] = 0.0,
                    ["srm"] = 0.0,
                    ["upc"] = 0,
                    ["type"] = "beer",
                    ["brewery_id"] = id,
                    ["updated"] = "2010-07-22 20:00:20",
                    ["description"] = $"A {Words[random.Next(Words.Length)]} beer.",
                    ["style"] = Styles[random.Next(Styles.Length)],
                    ["category"] = "North American Ale",
                }));
            }
        }
    }

    /// <summary>
    /// Loads the documents (flags 0x02000000, datatype JSON) and the design document into <paramref name="bucket"/>;
    /// returns the number of documents loaded.
    /// </summary>
    public static int Load(InProcessCluster cluster, string bucket = BeerSample.BucketName, int breweries = DefaultBreweries,
        int beers = DefaultBeers, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var target = cluster.Bucket(bucket);
        var count = 0;
        foreach (var (id, json) in Documents(breweries, beers, seed))
        {
            target.Upsert(id, json, BeerSample.JsonFlags, DataType.Json, cluster.KetamaNodeFor(bucket, id));
            count++;
        }
        cluster.DesignDocuments.Put(bucket, "_design/beer", DesignDocument);
        return count;
    }

    private static string Title(Random random)
    {
        var word = Words[random.Next(Words.Length)];
        return char.ToUpper(word[0], CultureInfo.InvariantCulture) + word.Substring(1);
    }

    private static string Slug(string name) => name.ToLowerInvariant().Replace(' ', '_');

    private static byte[] Json(JObject o) => Encoding.UTF8.GetBytes(o.ToString(Formatting.None));
}
