using Akka.Configuration;
using Akka.Couchbase.Streams.Dsl;
using Akka.Couchbase.Streams.Views;
using Akka.Couchbase.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Streams.Tests;

/// <summary>
/// Views over TLS: a client of <c>couchbases://</c> queries each node's views service at its capiSSL port over HTTPS,
/// trusting the cluster's CA as its KV connections do.
/// </summary>
public sealed class ViewsOverTlsSpec : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private InProcessCluster _cluster = null!;

    public ViewsOverTlsSpec(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync()
    {
        _cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions
        {
            Nodes = 2,
            Tls = true,
            Users = { ["reader"] = "view-pass" },
        });
        for (var i = 0; i < 50; i++)
            _cluster.Bucket("default").Upsert($"doc{i:D3}", System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"));
        _cluster.DesignDocuments.Put("default", "numbers",
            "{\"views\":{\"by_n\":{\"map\":\"function (doc, meta) { emit(doc.n, null); }\"}}}");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Rows_stream_from_the_views_tls_ports()
    {
        var hocon = "akka.couchbase { connection-string = \"" +
                    $"couchbases://127.0.0.1:{_cluster.Nodes[0].KvTlsPort}/default?certpath={_cluster.Tls.CaCertificatePath}" +
                    "\", username = reader, password = view-pass }";
        using var system = Akka.Actor.ActorSystem.Create("views-tls", ConfigurationFactory.ParseString(hocon));
        try
        {
            var client = CouchbaseExtension.Get(system).Client;
            await client.ConnectAsync(TimeSpan.FromSeconds(10));
            var endpoints = (await client.FirstMap).ViewsEndpoints;
            _output.WriteLine(string.Join(", ", endpoints));
            Assert.Equal(_cluster.Nodes.Select(n => n.ViewsTlsPort).OrderBy(p => p), endpoints.Select(u => u.Port).OrderBy(p => p));
            Assert.All(endpoints, u => Assert.Equal("https", u.Scheme));

            var result = await client.QueryAllAsync(system, new ViewQuery("numbers", "by_n") { Limit = 10, Stale = ViewStale.False });
            Assert.Equal(Enumerable.Range(0, 10).Select(i => $"doc{i:D3}"), result.Rows.Select(r => r.Id));
            Assert.Equal(50, result.TotalRows);
        }
        finally
        {
            await system.Terminate();
        }
    }
}
