using Akka.Configuration;
using Akka.Couchbase.Streams.Dsl;
using Akka.Couchbase.Streams.Views;
using Akka.Couchbase.TestKit;
using Akka.Streams;
using Akka.Streams.Dsl;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Streams.Tests;

/// <summary>
/// include_docs: rows come out with their documents read through KV, in row order; a document gone since it was
/// indexed is a row with the miss as its outcome.
/// </summary>
public sealed class ViewDocumentsSpec : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private const int Docs = 200;
    private InProcessCluster _cluster = null!;

    public ViewDocumentsSpec(ITestOutputHelper output) : base(output: output)
    {
    }

    public async Task InitializeAsync()
    {
        _cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions { Nodes = 2, Users = { ["reader"] = "view-pass" } });
        for (var i = 0; i < Docs; i++)
            _cluster.Bucket("default").Upsert($"doc{i:D3}", System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{i},\"name\":\"number {i}\"}}"));
        _cluster.DesignDocuments.Put("default", "numbers",
            "{\"views\":{\"by_n\":{\"map\":\"function (doc, meta) { emit(doc.n, null); }\",\"reduce\":\"_count\"}}}");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private CouchbaseClient NewClient() => CouchbaseExtension.Get(Sys).CreateClient(CouchbaseSettings.Create(
        ConfigurationFactory.ParseString(
            $"servers = [{string.Join(",", _cluster.Nodes.Select(n => $"\"127.0.0.1:{n.KvPort}\""))}], bucket = default, " +
            "username = reader, password = view-pass")), "documents");

    [Fact]
    public async Task Rows_come_with_their_documents_in_row_order()
    {
        var client = NewClient();
        var rows = await CouchbaseViews.QueryWithDocuments(client, new ViewQuery("numbers", "by_n") { Reduce = false, Descending = true },
                parallelism: 8)
            .RunWith(Sink.Seq<ViewDocumentRow>(), Sys.Materializer());

        Assert.Equal(Enumerable.Range(0, Docs).Reverse().Select(i => $"doc{i:D3}"), rows.Select(r => r.Id));
        Assert.All(rows, r =>
        {
            Assert.Equal(KvOutcome.Success, r.Outcome);
            Assert.Equal(r.Row.KeyAs<int>(), r.ContentAs<JObject>()["n"]!.Value<int>());
            Assert.Equal($"number {r.Row.KeyAs<int>()}", r.ContentAs<JObject>()["name"]!.Value<string>());
        });
    }

    [Fact]
    public async Task A_document_gone_since_it_was_indexed_carries_the_miss()
    {
        var client = NewClient();
        var result = await client.QueryAllAsync(Sys, new ViewQuery("numbers", "by_n") { Reduce = false, Limit = 20 });
        await client.RemoveAsync("doc005");
        await client.RemoveAsync("doc013");

        var rows = await Source.From(result.Rows)
            .Via(CouchbaseViews.IncludeDocuments(client, parallelism: 4))
            .RunWith(Sink.Seq<ViewDocumentRow>(), Sys.Materializer());

        Assert.Equal(result.Rows, rows.Select(r => r.Row));
        Assert.Equal(new[] { "doc005", "doc013" }, rows.Where(r => r.Outcome == KvOutcome.NotFound).Select(r => r.Id));
        Assert.All(rows.Where(r => r.Id is not ("doc005" or "doc013")), r => Assert.True(r.Found));
        var gone = rows.Single(r => r.Id == "doc005");
        Assert.Null(gone.Failure);
        Assert.Contains("doc005 was not found", Assert.Throws<InvalidOperationException>(() => gone.ContentAs<JObject>()).Message);
    }

    [Fact]
    public async Task A_reduced_row_has_no_document_to_read()
    {
        var client = NewClient();
        var row = Assert.Single(await CouchbaseViews.QueryWithDocuments(client, new ViewQuery("numbers", "by_n"))
            .RunWith(Sink.Seq<ViewDocumentRow>(), Sys.Materializer()));

        Assert.Equal(Docs, row.Row.ValueAs<int>());
        Assert.Null(row.Id);
        Assert.Null(row.Document);
        Assert.Null(row.Failure);
        Assert.False(row.Found);
    }
}
