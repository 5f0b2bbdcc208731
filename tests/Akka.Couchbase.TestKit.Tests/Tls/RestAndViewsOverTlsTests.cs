using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Tls;

/// <summary>
/// Cluster manager REST and views over HTTPS, with an HttpClient that trusts the generated CA and nothing else; the
/// maps advertise the TLS ports the way Couchbase Server 7.6 does.
/// </summary>
public sealed class RestAndViewsOverTlsTests : TlsClusterTestBase
{
    private HttpClient Https()
    {
        var http = Trusting().HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("Administrator:password")));
        return http;
    }

    private string Mgmt(int node) => $"https://127.0.0.1:{Cluster.Nodes[node].MgmtTlsPort}";

    [Fact]
    public async Task Pools_and_the_bucket_config_over_https()
    {
        using var http = Https();
        var pools = JObject.Parse(await http.GetStringAsync(Mgmt(1) + "/pools"));
        Assert.Equal("default", pools["pools"]![0]!.Value<string>("name"));
        var terse = JObject.Parse(await http.GetStringAsync(Mgmt(1) + "/pools/default/b/default"));
        Assert.Equal(Cluster.Revision, terse.Value<long>("rev"));
        Assert.Equal(64, ((JArray)terse["vBucketServerMap"]!["vBucketMap"]!).Count);
        using var anonymous = Trusting().HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(Mgmt(0) + "/pools/default")).StatusCode);
    }

    [Fact]
    public async Task NodesExt_carries_the_tls_ports_and_serverList_stays_plain()
    {
        using var http = Https();
        var terse = JObject.Parse(await http.GetStringAsync(Mgmt(0) + "/pools/default/b/default"));
        var nodesExt = (JArray)terse["nodesExt"]!;
        var serverList = (JArray)terse["vBucketServerMap"]!["serverList"]!;
        for (var i = 0; i < 3; i++)
        {
            var node = Cluster.Nodes[i];
            var services = (JObject)nodesExt[i]!["services"]!;
            Assert.Equal(node.KvTlsPort, services.Value<int>("kvSSL"));
            Assert.Equal(node.MgmtTlsPort, services.Value<int>("mgmtSSL"));
            Assert.Equal(node.ViewsTlsPort, services.Value<int>("capiSSL"));
            Assert.Equal(node.KvPort, services.Value<int>("kv"));
            Assert.Equal($"127.0.0.1:{node.KvPort}", serverList[i]!.Value<string>());
        }
        // the bucket-less map (GET_CLUSTER_CONFIG without a bucket, /pools/default/nodeServices) has them too
        var global = JObject.Parse(await http.GetStringAsync(Mgmt(0) + "/pools/default/nodeServices"));
        Assert.Equal(Cluster.Nodes[2].KvTlsPort, global["nodesExt"]![2]!["services"]!.Value<int>("kvSSL"));
    }

    [Fact]
    public async Task Pools_default_shows_the_https_ports_as_7_6_does()
    {
        using var http = Https();
        var pool = JObject.Parse(await http.GetStringAsync(Mgmt(0) + "/pools/default"));
        var first = (JObject)pool["nodes"]![0]!;
        Assert.Equal(Cluster.Nodes[0].MgmtTlsPort, first["ports"]!.Value<int>("httpsMgmt"));
        Assert.Equal(Cluster.Nodes[0].ViewsTlsPort, first["ports"]!.Value<int>("httpsCAPI"));
        Assert.Equal($"https://127.0.0.1:{Cluster.Nodes[0].ViewsTlsPort}/", first.Value<string>("couchApiBaseHTTPS"));
        Assert.Null(first["ports"]!["kvSSL"]); // the KV TLS port is in nodesExt only
    }

    [Fact]
    public async Task A_view_query_over_https()
    {
        Default.Upsert("beer-1", Encoding.UTF8.GetBytes("{\"type\":\"beer\",\"name\":\"Alpha\"}"));
        Default.Upsert("beer-2", Encoding.UTF8.GetBytes("{\"type\":\"beer\",\"name\":\"Beta\"}"));
        Default.Upsert("brewery-1", Encoding.UTF8.GetBytes("{\"type\":\"brewery\",\"name\":\"Gamma\"}"));
        Cluster.DesignDocuments.Put("default", "_design/beers",
            "{\"views\":{\"by_name\":{\"map\":\"function (doc, meta) { if (doc.type == 'beer') emit(doc.name, null); }\"}}}");
        using var http = Https();
        var body = JObject.Parse(await http.GetStringAsync(
            $"https://127.0.0.1:{Cluster.Nodes[2].ViewsTlsPort}/default/_design/beers/_view/by_name?stale=false"));
        Assert.Equal(new[] { "Alpha", "Beta" }, body["rows"]!.Select(r => r.Value<string>("key")));
    }

    [Fact]
    public async Task The_plain_ports_keep_working_next_to_the_tls_ones()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("Administrator:password")));
        var terse = JObject.Parse(await http.GetStringAsync($"http://127.0.0.1:{Cluster.Nodes[0].MgmtPort}/pools/default/b/default"));
        Assert.Equal(Cluster.Nodes[0].KvTlsPort, terse["nodesExt"]![0]!["services"]!.Value<int>("kvSSL"));
    }
}
