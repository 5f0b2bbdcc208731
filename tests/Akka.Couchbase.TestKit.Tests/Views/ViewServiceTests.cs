using System.Diagnostics;
using System.Net;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Views;

public sealed class ViewServiceTests : IAsyncLifetime
{
    private const string SalesDoc = """
        {"views":{
          "by_city":{"map":"function (doc, meta) { if (meta.type == \"json\" && doc.city) { emit(doc.city, doc.sales); } }","reduce":"_sum"},
          "stats":{"map":"function (doc, meta) { if (doc.sales) emit([doc.name, doc.city], doc.sales); }","reduce":"_stats"},
          "js_sum":{"map":"function (doc, meta) { if (doc.sales) emit(doc.city, doc.sales); }",
                    "reduce":"function (keys, values, rereduce) { var s = 0; for (var i = 0; i < values.length; i++) s += values[i]; return rereduce ? s : s; }"},
          "all_ids":{"map":"function (doc, meta) { emit(meta.id, null); }"},
          "meta":{"map":"function (doc, meta) { emit(meta.id, {type: meta.type, flags: meta.flags, expiration: meta.expiration, rev: meta.rev, doc: doc}); }"}
        }}
        """;

    private ViewServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = new ViewServer();
        var s = _server.Source;
        s.AddBucket("sales");
        s.Put("sales", "doc-1", "{\"name\":\"James\",\"city\":\"Paris\",\"sales\":13000}");
        s.Put("sales", "doc-2", "{\"name\":\"Anna\",\"city\":\"paris\",\"sales\":500}");
        s.Put("sales", "doc-3", "{\"name\":\"James\",\"city\":\"Tokyo\",\"sales\":20000}");
        s.Put("sales", "doc-4", "{\"name\":\"Zed\",\"city\":\"PARIS\",\"sales\":1}");
        s.Put("sales", "bin-1", new byte[] { 0, 1, 2, 255 }, isJson: false, flags: 0x03000000);
        var (status, body) = await _server.SendJsonAsync(HttpMethod.Put, "/sales/_design/dd", SalesDoc);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("{\"ok\":true,\"id\":\"_design/dd\"}", body.ToString(Formatting.None));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static JArray Rows(JObject body) => (JArray)body["rows"]!;

    [Fact]
    public async Task Map_rows_follow_collation_case_insensitive_first()
    {
        var (status, body) = await _server.GetJsonAsync("/sales/_design/dd/_view/by_city?reduce=false");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(new[] { "paris", "Paris", "PARIS", "Tokyo" }, Rows(body).Select(r => (string?)r["key"]));
        Assert.Equal(4, (int)body["total_rows"]!);
    }

    [Fact]
    public async Task Builtin_and_javascript_reduces()
    {
        var (_, sum) = await _server.GetJsonAsync("/sales/_design/dd/_view/by_city");
        Assert.Equal("[{\"key\":null,\"value\":33501}]", Rows(sum).ToString(Formatting.None));

        var (_, grouped) = await _server.GetJsonAsync("/sales/_design/dd/_view/by_city?group=true");
        Assert.Equal("[{\"key\":\"paris\",\"value\":500},{\"key\":\"Paris\",\"value\":13000},{\"key\":\"PARIS\",\"value\":1},{\"key\":\"Tokyo\",\"value\":20000}]",
            Rows(grouped).ToString(Formatting.None));

        var (_, stats) = await _server.GetJsonAsync("/sales/_design/dd/_view/stats?group_level=1");
        var james = Rows(stats).Single(r => (string?)r["key"]![0] == "James");
        Assert.Equal("{\"sum\":33000,\"count\":2,\"min\":13000,\"max\":20000,\"sumsqr\":569000000}", james["value"]!.ToString(Formatting.None));

        var (_, js) = await _server.GetJsonAsync("/sales/_design/dd/_view/js_sum");
        Assert.Equal(33501, (int)Rows(js).Single()["value"]!);

        var (_, paged) = await _server.GetJsonAsync("/sales/_design/dd/_view/by_city?group=true&skip=1&limit=2&descending=true");
        Assert.Equal(new[] { "PARIS", "Paris" }, Rows(paged).Select(r => (string?)r["key"]));

        var (_, none) = await _server.GetJsonAsync("/sales/_design/dd/_view/by_city?key=%22Rome%22");
        Assert.Empty(Rows(none));
    }

    [Fact]
    public async Task Javascript_reduce_rereduces_large_groups()
    {
        var source = new InMemoryViewSource();
        for (var i = 0; i < 1000; i++) source.Put("big", $"d{i:D4}", $"{{\"g\":{i % 3},\"n\":{i}}}");
        await using var server = new ViewServer(source);
        server.DesignDocs.Put("big", "r", """
            {"views":{"v":{"map":"function (doc) { emit(doc.g, doc.n); }",
              "reduce":"function (keys, values, rereduce) { if (!rereduce && keys.length != values.length) throw new Error('keys'); return { total: rereduce ? values.reduce(function (a, b) { return a + b.total; }, 0) : sum(values), rereduced: rereduce }; }"}}}
            """);
        var (status, body) = await server.GetJsonAsync("/big/_design/r/_view/v?group=true");
        Assert.Equal(HttpStatusCode.OK, status);
        var rows = Rows(body);
        Assert.Equal(3, rows.Count);
        Assert.Equal(Enumerable.Range(0, 1000).Where(i => i % 3 == 0).Sum(), (int)rows[0]["value"]!["total"]!);
        Assert.True((bool)rows[0]["value"]!["rereduced"]!);
        var (_, all) = await server.GetJsonAsync("/big/_design/r/_view/v");
        Assert.Equal(Enumerable.Range(0, 1000).Sum(), (int)Rows(all).Single()["value"]!["total"]!);
    }

    [Fact]
    public async Task Sdk_style_requests_post_an_empty_body_and_use_the_underscored_aliases()
    {
        // the Couchbase C++ core (behind the Node.js SDK) always POSTs, with {} when there are no keys
        var (status, body) = await _server.SendJsonAsync(HttpMethod.Post,
            "/sales/_design/dd/_view/by_city?reduce=false&group=false&start_key=%22Paris%22&end_key=%22Tokyo%22&start_key_doc_id=doc-1"
            + "&end_key_doc_id=doc-3&inclusive_end=true&descending=false&on_error=continue&full_set=false&stale=update_after&limit=10&skip=0",
            "{}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(new[] { "doc-1", "doc-4", "doc-3" }, Rows(body).Select(r => (string?)r["id"]));

        var (keyed, keyedBody) = await _server.SendJsonAsync(HttpMethod.Post,
            "/sales/_design/dd/_view/by_city?reduce=false", "{\"keys\":[\"Tokyo\",\"paris\"]}");
        Assert.Equal(HttpStatusCode.OK, keyed);
        Assert.Equal(new[] { "doc-3", "doc-2" }, Rows(keyedBody).Select(r => (string?)r["id"]));

        using var empty = new HttpRequestMessage(HttpMethod.Post, "/sales/_design/dd/_view/all_ids?limit=2");
        empty.Content = new ByteArrayContent(Array.Empty<byte>());
        using var emptyReply = await _server.Client.SendAsync(empty);
        Assert.Equal(HttpStatusCode.OK, emptyReply.StatusCode);
    }

    [Fact]
    public async Task Meta_describes_json_and_binary_documents()
    {
        var (_, body) = await _server.GetJsonAsync("/sales/_design/dd/_view/meta");
        var rows = Rows(body);
        var bin = rows.Single(r => (string?)r["id"] == "bin-1")["value"]!;
        Assert.Equal("base64", (string?)bin["type"]);
        Assert.Equal(Convert.ToBase64String(new byte[] { 0, 1, 2, 255 }), (string?)bin["doc"]);
        Assert.Equal(0x03000000, (long)bin["flags"]!);
        var json = rows.Single(r => (string?)r["id"] == "doc-1")["value"]!;
        Assert.Equal("json", (string?)json["type"]);
        Assert.Equal("James", (string?)json["doc"]!["name"]);
        Assert.Equal(0, (int)json["expiration"]!);
        Assert.StartsWith("1-", (string?)json["rev"]);
    }

    [Fact]
    public async Task Failing_and_runaway_maps_skip_the_document_and_do_not_hang()
    {
        _server.DesignDocs.Put("sales", "bad", """
            {"views":{
              "throws":{"map":"function (doc, meta) { emit(meta.id, doc.missing.deeper); }"},
              "loops":{"map":"function (doc, meta) { if (meta.id == 'doc-2') { while (true) {} } emit(meta.id, 1); }"},
              "recurses":{"map":"function (doc, meta) { function f(n) { return f(n + 1); } if (meta.id == 'doc-3') f(0); emit(meta.id, 1); }"}
            }}
            """);
        var watch = Stopwatch.StartNew();
        var (status, thrown) = await _server.GetJsonAsync("/sales/_design/bad/_view/throws?debug=true");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(Rows(thrown));
        Assert.True((int)thrown["debug_info"]!["local"]!["map_errors"]! >= 5);

        var (_, loops) = await _server.GetJsonAsync("/sales/_design/bad/_view/loops");
        Assert.DoesNotContain("doc-2", Rows(loops).Select(r => (string?)r["id"]));
        Assert.Equal(4, Rows(loops).Count);
        var (_, recurses) = await _server.GetJsonAsync("/sales/_design/bad/_view/recurses");
        Assert.DoesNotContain("doc-3", Rows(recurses).Select(r => (string?)r["id"]));
        Assert.Equal(4, Rows(recurses).Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_map_that_loops_on_every_document_is_given_up_after_a_few()
    {
        var source = new InMemoryViewSource();
        for (var i = 0; i < 200; i++) source.Put("loop", $"d{i}", "{}");
        await using var server = new ViewServer(source);
        server.DesignDocs.Put("loop", "l", """
            {"views":{"forever":{"map":"function (doc, meta) { for (;;) {} }"},
                      "fine":{"map":"function (doc, meta) { emit(meta.id, null); }"}}}
            """);
        var watch = Stopwatch.StartNew();
        var (status, body) = await server.GetJsonAsync("/loop/_design/l/_view/forever?debug=true");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(Rows(body));
        Assert.Equal(200, (int)body["debug_info"]!["local"]!["map_errors"]!);
        Assert.Contains("stopped", (string?)body["debug_info"]!["local"]!["first_map_error"]);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        var (_, fine) = await server.GetJsonAsync("/loop/_design/l/_view/fine");
        Assert.Equal(200, Rows(fine).Count);
    }

    [Fact]
    public async Task Concurrent_queries_on_one_design_document_all_succeed()
    {
        for (var i = 0; i < 300; i++) _server.Source.Put("sales", $"extra-{i:D3}", $"{{\"city\":\"c{i % 7}\",\"sales\":{i},\"name\":\"n{i % 5}\"}}");
        var paths = new[]
        {
            "/sales/_design/dd/_view/by_city?group=true",
            "/sales/_design/dd/_view/js_sum?group=true",
            "/sales/_design/dd/_view/all_ids",
            "/sales/_design/dd/_view/stats?group_level=1",
            "/sales/_design/dd/_view/by_city?reduce=false&descending=true",
        };
        var tasks = Enumerable.Range(0, 40).Select(async i =>
        {
            using var client = _server.NewClient();
            using var reply = await client.GetAsync(paths[i % paths.Length]);
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
            return Rows(ViewServer.Parse(await reply.Content.ReadAsStringAsync())).Count;
        }).ToArray();
        var counts = await Task.WhenAll(tasks);
        for (var i = 0; i < counts.Length; i++) Assert.Equal(counts[i % paths.Length], counts[i]);
        Assert.Equal(305, counts[2]);
    }

    [Fact]
    public async Task Unicode_keys_and_ids_survive_the_round_trip()
    {
        _server.Source.Put("sales", "doc-ü-€-😀", "{\"name\":\"Zoë\",\"city\":\"Zürich \\\"quoted\\\" 😀\",\"sales\":3}");
        var (_, body) = await _server.GetJsonAsync("/sales/_design/dd/_view/by_city?reduce=false&key=" + Uri.EscapeDataString("\"Zürich \\\"quoted\\\" 😀\""));
        var row = Assert.Single(Rows(body));
        Assert.Equal("doc-ü-€-😀", (string?)row["id"]);
        Assert.Equal("Zürich \"quoted\" 😀", (string?)row["key"]);
    }

    [Fact]
    public async Task Emitted_values_convert_like_JSON_stringify()
    {
        _server.DesignDocs.Put("sales", "shapes", """
            {"views":{"v":{"map":"function (doc, meta) { if (meta.id != 'doc-1') return; emit([1, 1.5, undefined, null, true, 'x', {a: undefined, b: [2]}], {n: NaN, f: function () {}, d: new Date(0), big: 12345678901}); emit(doc.city, doc.city.length), emit(meta.id); }"}}}
            """);
        var (_, body) = await _server.GetJsonAsync("/sales/_design/shapes/_view/v");
        var rows = Rows(body);
        Assert.Equal(3, rows.Count);
        Assert.Equal("{\"id\":\"doc-1\",\"key\":\"doc-1\",\"value\":null}", rows[0].ToString(Formatting.None));
        Assert.Equal("{\"id\":\"doc-1\",\"key\":\"Paris\",\"value\":5}", rows[1].ToString(Formatting.None));
        Assert.Equal("[1,1.5,null,null,true,\"x\",{\"b\":[2]}]", rows[2]["key"]!.ToString(Formatting.None));
        Assert.Equal("{\"n\":null,\"d\":\"1970-01-01T00:00:00.000Z\",\"big\":12345678901}", rows[2]["value"]!.ToString(Formatting.None));
    }

    [Fact]
    public async Task Indexes_are_reused_until_the_bucket_changes()
    {
        await _server.GetJsonAsync("/sales/_design/dd/_view/all_ids");
        var builds = _server.Service.IndexBuildCount;
        await _server.GetJsonAsync("/sales/_design/dd/_view/all_ids");
        await _server.GetJsonAsync("/sales/_design/dd/_view/by_city");
        Assert.Equal(builds, _server.Service.IndexBuildCount);

        _server.Source.Put("sales", "doc-5", "{\"city\":\"Oslo\",\"sales\":7}");
        var (_, body) = await _server.GetJsonAsync("/sales/_design/dd/_view/all_ids");
        Assert.Equal(builds + 1, _server.Service.IndexBuildCount);
        Assert.Contains("doc-5", Rows(body).Select(r => (string?)r["id"]));

        _server.Source.Remove("sales", "doc-5");
        var (_, after) = await _server.GetJsonAsync("/sales/_design/dd/_view/all_ids");
        Assert.DoesNotContain("doc-5", Rows(after).Select(r => (string?)r["id"]));

        _server.Source.TrackGenerations = false;
        await _server.GetJsonAsync("/sales/_design/dd/_view/all_ids");
        await _server.GetJsonAsync("/sales/_design/dd/_view/all_ids");
        Assert.Equal(builds + 4, _server.Service.IndexBuildCount);
    }

    [Fact]
    public async Task Design_document_lifecycle_over_http()
    {
        var (missing, missingBody) = await _server.GetJsonAsync("/sales/_design/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("{\"error\":\"not_found\",\"reason\":\"missing\"}", missingBody.ToString(Formatting.None));

        var (put, _) = await _server.SendJsonAsync(HttpMethod.Put, "/sales/_design/tmp", "{\"views\":{\"v\":{\"map\":\"function(d, m) { emit(m.id, 1); }\"}}}");
        Assert.Equal(HttpStatusCode.Created, put);
        var (got, gotBody) = await _server.GetJsonAsync("/sales/_design/tmp");
        Assert.Equal(HttpStatusCode.OK, got);
        Assert.NotNull(gotBody["views"]!["v"]);

        var (deleted, deletedBody) = await _server.SendJsonAsync(HttpMethod.Delete, "/sales/_design/tmp");
        Assert.Equal(HttpStatusCode.OK, deleted);
        Assert.Equal("{\"ok\":true,\"id\":\"_design/tmp\"}", deletedBody.ToString(Formatting.None));
        var (gone, goneBody) = await _server.GetJsonAsync("/sales/_design/tmp");
        Assert.Equal(HttpStatusCode.NotFound, gone);
        Assert.Equal("deleted", (string?)goneBody["reason"]);
        var (again, againBody) = await _server.SendJsonAsync(HttpMethod.Delete, "/sales/_design/tmp");
        Assert.Equal(HttpStatusCode.NotFound, again);
        Assert.Equal("deleted", (string?)againBody["reason"]);
        var (queryGone, queryGoneBody) = await _server.GetJsonAsync("/sales/_design/tmp/_view/v");
        Assert.Equal(HttpStatusCode.NotFound, queryGone);
        Assert.Equal("missing", (string?)queryGoneBody["reason"]);

        var (bad, badBody) = await _server.SendJsonAsync(HttpMethod.Put, "/sales/_design/broken", "{\"views\":{\"v\":{\"map\":\"function(d) { emit(\"}}}");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("invalid_design_document", (string?)badBody["error"]);
        var (badReduce, badReduceBody) = await _server.SendJsonAsync(HttpMethod.Put, "/sales/_design/broken",
            "{\"views\":{\"v\":{\"map\":\"function(d) {}\",\"reduce\":\"_nope\"}}}");
        Assert.Equal(HttpStatusCode.BadRequest, badReduce);
        Assert.Contains("_nope", (string?)badReduceBody["reason"]);
    }

    [Theory]
    [InlineData("/sales/_design/dd/_view/by_city?key=Paris")]
    [InlineData("/sales/_design/dd/_view/by_city?limit=ten")]
    [InlineData("/sales/_design/dd/_view/by_city?group=true&group_level=1")]
    [InlineData("/sales/_design/dd/_view/by_city?reduce=false&key=%22a%22&keys=%5B%22a%22%5D")]
    [InlineData("/sales/_design/dd/_view/all_ids?reduce=true")]
    [InlineData("/sales/_design/dd/_view/all_ids?group=true")]
    [InlineData("/sales/_design/dd/_view/by_city?reduce=false&group=true")]
    [InlineData("/sales/_design/dd/_view/by_city?startkey=%22b%22&endkey=%22a%22")]
    [InlineData("/sales/_design/dd/_view/by_city?startkey=%22a%22&endkey=%22b%22&descending=true")]
    [InlineData("/sales/_design/dd/_view/by_city?stale=later")]
    [InlineData("/sales/_design/dd/_view/by_city?on_error=panic")]
    public async Task Bad_parameters_get_400_query_parse_error(string path)
    {
        var (status, body) = await _server.GetJsonAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("query_parse_error", (string?)body["error"]);
        Assert.False(string.IsNullOrEmpty((string?)body["reason"]));
    }

    [Fact]
    public async Task Missing_things_get_404()
    {
        var (ddoc, ddocBody) = await _server.GetJsonAsync("/sales/_design/nope/_view/v");
        Assert.Equal(HttpStatusCode.NotFound, ddoc);
        Assert.Equal("{\"error\":\"not_found\",\"reason\":\"missing\"}", ddocBody.ToString(Formatting.None));

        var (view, viewBody) = await _server.GetJsonAsync("/sales/_design/dd/_view/nope");
        Assert.Equal(HttpStatusCode.NotFound, view);
        Assert.Equal("{\"error\":\"not_found\",\"reason\":\"missing_named_view\"}", viewBody.ToString(Formatting.None));

        var (bucket, bucketBody) = await _server.GetJsonAsync("/nobucket/_design/dd/_view/by_city");
        Assert.Equal(HttpStatusCode.NotFound, bucket);
        Assert.Equal("not_found", (string?)bucketBody["error"]);
    }

    [Fact]
    public async Task Requests_without_valid_credentials_get_401()
    {
        using var anonymous = _server.NewClient(authenticated: false);
        using var reply = await anonymous.GetAsync("/sales/_design/dd/_view/by_city");
        Assert.Equal(HttpStatusCode.Unauthorized, reply.StatusCode);
        Assert.Contains("Basic", reply.Headers.WwwAuthenticate.ToString());
        Assert.Equal("unauthorized", (string?)ViewServer.Parse(await reply.Content.ReadAsStringAsync())["error"]);

        using var wrong = _server.NewClient(authenticated: false);
        wrong.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("Administrator:wrong")));
        using var wrongReply = await wrong.PutAsync("/sales/_design/x", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongReply.StatusCode);
        Assert.Null(_server.DesignDocs.Get("sales", "x"));
    }

    [Fact]
    public async Task Unsupported_methods_get_405()
    {
        var (status, body) = await _server.SendJsonAsync(HttpMethod.Delete, "/sales/_design/dd/_view/by_city");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal("method_not_allowed", (string?)body["error"]);
    }
}
