using System.Diagnostics;
using System.Net;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.TestKit.Tests.Views;

/// <summary>The beer-sample bucket behind a view server, with design document <c>beer</c> installed over HTTP.</summary>
public sealed class BeerSampleFixture : IAsyncLifetime
{
    internal ViewServer Server { get; private set; } = null!;
    public int DocumentCount { get; private set; }
    public TimeSpan FirstIndexBuild { get; private set; }

    public async Task InitializeAsync()
    {
        Server = new ViewServer();
        var (count, ddoc) = BeerSample.Load(Server.Source, "beer-sample");
        DocumentCount = count;
        var (status, body) = await Server.SendJsonAsync(HttpMethod.Put, "/beer-sample/_design/beer", ddoc);
        if (status != HttpStatusCode.Created) throw new InvalidOperationException("PUT _design/beer failed: " + body);
        var watch = Stopwatch.StartNew();
        await Server.GetJsonAsync("/beer-sample/_design/beer/_view/brewery_beers?limit=0");
        FirstIndexBuild = watch.Elapsed;
    }

    public async Task DisposeAsync()
    {
        if (Server != null) await Server.DisposeAsync();
    }
}

public sealed class BeerSampleViewTests : IClassFixture<BeerSampleFixture>
{
    private readonly BeerSampleFixture _fixture;
    private ViewServer Server => _fixture.Server;

    private readonly ITestOutputHelper _output;

    public BeerSampleViewTests(BeerSampleFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public void The_data_set_has_7303_documents_and_indexes_quickly()
    {
        Assert.Equal(7303, _fixture.DocumentCount);
        _output.WriteLine($"first query (index build included): {_fixture.FirstIndexBuild.TotalMilliseconds:F0} ms");
        Assert.True(_fixture.FirstIndexBuild < TimeSpan.FromSeconds(5), $"first index build took {_fixture.FirstIndexBuild}");
    }

    [Fact]
    public async Task Brewery_beers_limit_5_returns_the_documented_rows()
    {
        var (status, body) = await Server.GetJsonAsync("/beer-sample/_design/beer/_view/brewery_beers?limit=5");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(7303, (int)body["total_rows"]!);
        var rows = (JArray)body["rows"]!;
        var expected = new[]
        {
            ("[\"21st_amendment_brewery_cafe\"]", "21st_amendment_brewery_cafe"),
            ("[\"21st_amendment_brewery_cafe\",\"21st_amendment_brewery_cafe-21a_ipa\"]", "21st_amendment_brewery_cafe-21a_ipa"),
            ("[\"21st_amendment_brewery_cafe\",\"21st_amendment_brewery_cafe-563_stout\"]", "21st_amendment_brewery_cafe-563_stout"),
            ("[\"21st_amendment_brewery_cafe\",\"21st_amendment_brewery_cafe-amendment_pale_ale\"]", "21st_amendment_brewery_cafe-amendment_pale_ale"),
            ("[\"21st_amendment_brewery_cafe\",\"21st_amendment_brewery_cafe-bitter_american\"]", "21st_amendment_brewery_cafe-bitter_american"),
        };
        Assert.Equal(expected.Length, rows.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Item1, rows[i]["key"]!.ToString(Formatting.None));
            Assert.Equal(expected[i].Item2, (string?)rows[i]["id"]);
            Assert.Equal(JTokenType.Null, rows[i]["value"]!.Type);
        }
    }

    [Fact]
    public async Task Whole_brewery_beers_streams_7303_rows_in_many_chunks()
    {
        using var reply = await Server.Client.GetAsync("/beer-sample/_design/beer/_view/brewery_beers",
            HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.True(reply.Headers.TransferEncodingChunked);
        var text = await reply.Content.ReadAsStringAsync();
        var body = ViewServer.Parse(text);
        Assert.Equal(7303, (int)body["total_rows"]!);
        var rows = (JArray)body["rows"]!;
        Assert.Equal(7303, rows.Count);
        Assert.StartsWith("{\"total_rows\":7303,\"rows\":[\n{\"id\":", text);
        Assert.Equal(7303, text.Split("\n{\"id\":").Length - 1);

        // sorted by key, then id (one row per document: no two rows share both)
        for (var i = 1; i < rows.Count; i++)
        {
            var byKey = Akka.Couchbase.TestKit.Views.ViewCollation.Compare(rows[i - 1]["key"], rows[i]["key"]);
            var order = byKey != 0 ? byKey : string.CompareOrdinal((string?)rows[i - 1]["id"], (string?)rows[i]["id"]);
            Assert.True(order < 0, $"rows {i - 1} and {i} out of order");
        }
        Assert.True(text.Length > 100 * 4096, "the body should span many 4 KB chunks");
    }

    [Fact]
    public async Task By_location_without_reduce_emits_1411_rows()
    {
        var (status, body) = await Server.GetJsonAsync("/beer-sample/_design/beer/_view/by_location?reduce=false");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1411, ((JArray)body["rows"]!).Count);
        Assert.Equal(1411, (int)body["total_rows"]!);
        Assert.All((JArray)body["rows"]!, r => Assert.Equal(1, (int)r["value"]!));
    }

    [Fact]
    public async Task By_location_group_level_1_gives_63_countries()
    {
        var (status, body) = await Server.GetJsonAsync("/beer-sample/_design/beer/_view/by_location?group_level=1");
        Assert.Equal(HttpStatusCode.OK, status);
        var rows = (JArray)body["rows"]!;
        Assert.Equal(63, rows.Count);
        Assert.Null(body["total_rows"]);
        Assert.Equal(1411, rows.Sum(r => (int)r["value"]!));
        Assert.All(rows, r => Assert.Single((JArray)r["key"]!));
        Assert.Null(rows[0]["id"]);
    }

    [Fact]
    public async Task By_location_group_true_gives_1044_groups()
    {
        var (_, body) = await Server.GetJsonAsync("/beer-sample/_design/beer/_view/by_location?group=true");
        var rows = (JArray)body["rows"]!;
        Assert.Equal(1044, rows.Count);
        Assert.Equal(1411, rows.Sum(r => (int)r["value"]!));
    }

    [Fact]
    public async Task By_location_plain_reduce_is_1411()
    {
        var (_, body) = await Server.GetJsonAsync("/beer-sample/_design/beer/_view/by_location");
        var rows = (JArray)body["rows"]!;
        var row = Assert.Single(rows);
        Assert.Equal(JTokenType.Null, row["key"]!.Type);
        Assert.Equal(1411, (int)row["value"]!);
    }

    [Fact]
    public async Task Key_ranges_descending_skip_and_docids_select_the_right_rows()
    {
        const string view = "/beer-sample/_design/beer/_view/brewery_beers";
        var brewery = Uri.EscapeDataString("[\"21st_amendment_brewery_cafe\"]");
        var (_, exact) = await Server.GetJsonAsync($"{view}?key={brewery}");
        Assert.Equal("21st_amendment_brewery_cafe", (string?)Assert.Single((JArray)exact["rows"]!)["id"]);

        // all rows of one brewery: from [b] to [b, {}] (objects sort after strings)
        var start = Uri.EscapeDataString("[\"21st_amendment_brewery_cafe\"]");
        var end = Uri.EscapeDataString("[\"21st_amendment_brewery_cafe\",{}]");
        var (_, range) = await Server.GetJsonAsync($"{view}?startkey={start}&endkey={end}");
        var rangeRows = (JArray)range["rows"]!;
        Assert.True(rangeRows.Count > 5);
        Assert.All(rangeRows, r => Assert.StartsWith("21st_amendment_brewery_cafe", (string?)r["id"]));

        var (_, desc) = await Server.GetJsonAsync($"{view}?startkey={end}&endkey={start}&descending=true");
        Assert.Equal(rangeRows.Select(r => (string?)r["id"]).Reverse(), ((JArray)desc["rows"]!).Select(r => (string?)r["id"]));

        var (_, exclusive) = await Server.GetJsonAsync($"{view}?startkey={start}&endkey={end}&inclusive_end=false");
        Assert.Equal(rangeRows.Count, ((JArray)exclusive["rows"]!).Count);
        var lastKey = Uri.EscapeDataString(rangeRows.Last()["key"]!.ToString(Formatting.None));
        var (_, exclusiveLast) = await Server.GetJsonAsync($"{view}?startkey={start}&endkey={lastKey}&inclusive_end=false");
        Assert.Equal(rangeRows.Count - 1, ((JArray)exclusiveLast["rows"]!).Count);

        var (_, skipped) = await Server.GetJsonAsync($"{view}?startkey={start}&endkey={end}&skip=2&limit=3");
        Assert.Equal(rangeRows.Skip(2).Take(3).Select(r => (string?)r["id"]), ((JArray)skipped["rows"]!).Select(r => (string?)r["id"]));
        Assert.Equal(7303, (int)skipped["total_rows"]!);

        var (_, keys) = await Server.GetJsonAsync($"{view}?keys=" + Uri.EscapeDataString(
            "[[\"21st_amendment_brewery_cafe\",\"21st_amendment_brewery_cafe-563_stout\"],[\"nope\"],[\"21st_amendment_brewery_cafe\"]]"));
        Assert.Equal(new[] { "21st_amendment_brewery_cafe-563_stout", "21st_amendment_brewery_cafe" },
            ((JArray)keys["rows"]!).Select(r => (string?)r["id"]));
    }

    [Fact]
    public async Task Startkey_docid_and_endkey_docid_break_ties_on_equal_keys()
    {
        // by_location emits the same key for breweries in the same city
        var (_, all) = await Server.GetJsonAsync("/beer-sample/_design/beer/_view/by_location?reduce=false");
        var dup = ((JArray)all["rows"]!).GroupBy(r => r["key"]!.ToString(Formatting.None)).First(g => g.Count() >= 3);
        var ids = dup.Select(r => (string)r["id"]!).ToList();
        var key = Uri.EscapeDataString(dup.Key);
        var (_, fromSecond) = await Server.GetJsonAsync(
            $"/beer-sample/_design/beer/_view/by_location?reduce=false&startkey={key}&endkey={key}&startkey_docid={Uri.EscapeDataString(ids[1])}");
        Assert.Equal(ids.Skip(1), ((JArray)fromSecond["rows"]!).Select(r => (string?)r["id"]));
        var (_, untilSecond) = await Server.GetJsonAsync(
            $"/beer-sample/_design/beer/_view/by_location?reduce=false&startkey={key}&endkey={key}&endkey_docid={Uri.EscapeDataString(ids[1])}");
        Assert.Equal(ids.Take(2), ((JArray)untilSecond["rows"]!).Select(r => (string?)r["id"]));
    }

    [Fact]
    public async Task Post_keys_with_group_reduces_per_key_in_the_order_given()
    {
        var (_, grouped) = await Server.GetJsonAsync("/beer-sample/_design/beer/_view/by_location?group=true");
        var groups = (JArray)grouped["rows"]!;
        var busiest = groups.OrderByDescending(r => (int)r["value"]!).First();
        var other = groups[0];
        var body = new JObject { ["keys"] = new JArray(busiest["key"]!.DeepClone(), new JArray("Atlantis"), other["key"]!.DeepClone()) };
        var (status, reply) = await Server.SendJsonAsync(HttpMethod.Post,
            "/beer-sample/_design/beer/_view/by_location?group=true", body.ToString(Formatting.None));
        Assert.Equal(HttpStatusCode.OK, status);
        var rows = (JArray)reply["rows"]!;
        Assert.Equal(2, rows.Count);
        Assert.True(JToken.DeepEquals(busiest, rows[0]));
        Assert.True(JToken.DeepEquals(other, rows[1]));
        Assert.True((int)rows[0]["value"]! > 1);
    }

    [Fact]
    public async Task Debug_and_the_no_op_parameters_are_accepted()
    {
        var (status, body) = await Server.GetJsonAsync(
            "/beer-sample/_design/beer/_view/brewery_beers?limit=1&stale=false&on_error=stop&connection_timeout=1000&full_set=true&debug=true");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(7303, (int)body["debug_info"]!["local"]!["indexed_documents"]!);
        Assert.Equal(0, (int)body["debug_info"]!["local"]!["map_errors"]!);
        _output.WriteLine("debug_info: " + body["debug_info"]!.ToString(Formatting.None));
        Assert.Single((JArray)body["rows"]!);
        var (ok, _) = await Server.GetJsonAsync("/beer-sample%2B0123456789abcdef/_design/beer/_view/brewery_beers?limit=1&stale=ok");
        Assert.Equal(HttpStatusCode.OK, ok);
        var (after, _) = await Server.GetJsonAsync("/beer-sample+0123456789abcdef/_design/beer/_view/brewery_beers?limit=1&stale=update_after");
        Assert.Equal(HttpStatusCode.OK, after);
    }

    [Fact]
    public async Task Get_returns_the_design_document()
    {
        using var reply = await Server.Client.GetAsync("/beer-sample/_design/beer");
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        var body = ViewServer.Parse(await reply.Content.ReadAsStringAsync());
        Assert.NotNull(body["views"]!["brewery_beers"]!["map"]);
        Assert.Equal("_count", (string?)body["views"]!["by_location"]!["reduce"]);
        var meta = JObject.Parse(reply.Headers.GetValues("X-Couchbase-Meta").Single());
        Assert.Equal("_design/beer", (string?)meta["id"]);
    }
}
