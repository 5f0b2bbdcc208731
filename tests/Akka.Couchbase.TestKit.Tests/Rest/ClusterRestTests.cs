using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Akka.Couchbase.TestKit.Tests.Support;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Rest;

public sealed class ClusterRestTests : ClusterTestBase
{
    private HttpClient Client(int node = 0, string password = "password")
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Cluster.Nodes[node].MgmtPort}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("Administrator:" + password)));
        return http;
    }

    [Fact]
    public async Task Requires_basic_auth()
    {
        using var http = Client(password: "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/pools")).StatusCode);
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"http://127.0.0.1:{Cluster.Nodes[0].MgmtPort}/pools/default/b/default")).StatusCode);
    }

    [Fact]
    public async Task Pools_and_bucket_configs()
    {
        using var http = Client(1);
        var pools = JObject.Parse(await http.GetStringAsync("/pools"));
        Assert.Equal("default", pools["pools"]![0]!.Value<string>("name"));
        var pool = JObject.Parse(await http.GetStringAsync("/pools/default"));
        Assert.Equal(3, ((JArray)pool["nodes"]!).Count);
        var terse = JObject.Parse(await http.GetStringAsync("/pools/default/b/default"));
        Assert.Equal(Cluster.Revision, terse.Value<long>("rev"));
        Assert.Equal(64, ((JArray)terse["vBucketServerMap"]!["vBucketMap"]!).Count);
        Assert.Equal($"127.0.0.1:{Cluster.Nodes[2].KvPort}", terse["vBucketServerMap"]!["serverList"]![2]!.Value<string>());
        var verbose = JObject.Parse(await http.GetStringAsync("/pools/default/buckets/default"));
        Assert.Equal("membase", verbose.Value<string>("bucketType"));
        Assert.Equal(1, verbose.Value<int>("replicaNumber"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/pools/default/b/nope")).StatusCode);
    }

    [Fact]
    public async Task Streaming_config_pushes_each_new_map()
    {
        using var http = Client();
        using var resp = await http.GetAsync("/pools/default/bs/default", HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await resp.Content.ReadAsStreamAsync();
        var first = JObject.Parse(await ReadConfigAsync(stream));
        Assert.Equal(Cluster.Revision, first.Value<long>("rev"));
        Cluster.Faults.Failover(2);
        var second = JObject.Parse(await ReadConfigAsync(stream));
        Assert.True(second.Value<long>("rev") > first.Value<long>("rev"));
        Assert.Equal(2, ((JArray)second["vBucketServerMap"]!["serverList"]!).Count);
    }

    [Fact]
    public async Task Controller_failover_takes_an_otp_node_name()
    {
        using var http = Client();
        var bad = await http.PostAsync("/controller/failOver", new StringContent("otpNode=n_9%40127.0.0.1", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var rev = Cluster.Revision;
        var ok = await http.PostAsync("/controller/failOver", new StringContent("otpNode=n_1%40127.0.0.1", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.False(Cluster.Nodes[1].InCluster);
        Assert.True(Cluster.Revision > rev);
        var pool = JObject.Parse(await http.GetStringAsync("/pools/default"));
        Assert.Equal("inactiveFailed", pool["nodes"]![1]!.Value<string>("clusterMembership"));
    }

    [Fact]
    public async Task Restart_rebinds_the_mgmt_port_while_a_stream_was_open()
    {
        var port = Cluster.Nodes[0].MgmtPort;
        using (var http = Client())
        {
            using var resp = await http.GetAsync("/pools/default/bs/default", HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await resp.Content.ReadAsStreamAsync();
            await ReadConfigAsync(stream);
            await Cluster.Faults.StopNodeAsync(0);
        }
        await Cluster.Faults.RestartNodeAsync(0);
        Assert.Equal(port, Cluster.Nodes[0].MgmtPort);
        using var again = Client();
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/pools")).StatusCode);
    }

    private readonly StringBuilder _pending = new();

    private async Task<string> ReadConfigAsync(Stream stream)
    {
        var buffer = new byte[8192];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var text = _pending.ToString();
            var at = text.IndexOf("\n\n\n\n", StringComparison.Ordinal);
            if (at >= 0)
            {
                _pending.Remove(0, at + 4);
                return text[..at];
            }
            var n = await stream.ReadAsync(buffer, cts.Token);
            if (n == 0) throw new EndOfStreamException();
            _pending.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
    }
}
