using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Tests.Support;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Tls;

/// <summary>The node faults act on the TLS listeners as on the plain ones.</summary>
public sealed class NodeFaultsOverTlsTests : TlsClusterTestBase
{
    [Fact]
    public async Task Failover_over_tls_answers_nmvb_with_a_map_naming_the_tls_ports()
    {
        const string key = "tls::failover";
        var vb = Vb(key);
        var owner = Owner(key);
        var replica = Default.ReplicaNodesOf(vb).Single();
        await using (var c = await TlsBucketAsync(owner)) await c.SetAsync(key, "\"before\"", vb);

        Cluster.Faults.Failover(owner);

        await using var old = await TlsBucketAsync(owner);
        var nmvb = await old.GetAsync(key, vb);
        Assert.Equal(KvStatus.NotMyVBucket, nmvb.Status);
        var map = JObject.Parse(Encoding.UTF8.GetString(nmvb.Value));
        Assert.Equal(2, ((JArray)map["nodesExt"]!).Count);
        Assert.Contains(Cluster.Nodes[replica].KvTlsPort, map["nodesExt"]!.Select(n => n["services"]!.Value<int>("kvSSL")));
        Assert.DoesNotContain(Cluster.Nodes[owner].KvTlsPort, map["nodesExt"]!.Select(n => n["services"]!.Value<int>("kvSSL")));
        await using var promoted = await TlsBucketAsync(replica);
        Assert.Equal("\"before\"", Encoding.UTF8.GetString((await promoted.GetAsync(key, vb)).Value));
    }

    [Fact]
    public async Task Stop_closes_the_tls_ports_and_restart_reopens_them_on_the_same_numbers()
    {
        var node = Cluster.Nodes[1];
        var (kv, mgmt, views) = (node.KvTlsPort, node.MgmtTlsPort, node.ViewsTlsPort);
        await using var open = await TlsBucketAsync(1);

        await Cluster.Faults.StopNodeAsync(1);
        Assert.Null(await open.ReadAsync()); // the open TLS connection is cut
        foreach (var port in new[] { kv, mgmt, views })
        {
            using var tcp = new TcpClient();
            await Assert.ThrowsAsync<SocketException>(() => tcp.ConnectAsync("127.0.0.1", port));
        }

        await Cluster.Faults.RestartNodeAsync(1);
        Assert.Equal((kv, mgmt, views), (node.KvTlsPort, node.MgmtTlsPort, node.ViewsTlsPort));
        await using var again = await TlsBucketAsync(1);
        Assert.Equal(KvStatus.Success, (await again.CallAsync(Opcode.Noop)).Status);
        using var http = Trusting().HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("Administrator:password")));
        Assert.True((await http.GetAsync($"https://127.0.0.1:{mgmt}/pools")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task Drop_connections_cuts_tls_connections_too()
    {
        await using var tls = await TlsBucketAsync(2);
        await using var plain = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[2].KvPort);
        Assert.Equal(2, Cluster.Nodes[2].KvConnectionCount);

        Cluster.Faults.DropConnections(2);

        Assert.Null(await tls.ReadAsync());
        Assert.Null(await plain.ReadAsync());
        await using var reconnected = await TlsBucketAsync(2);
        Assert.Equal(KvStatus.Success, (await reconnected.CallAsync(Opcode.Noop)).Status);
    }

    [Fact]
    public async Task Hiccup_stalls_tls_responses_until_it_is_cleared()
    {
        await using var c = await TlsBucketAsync(0);
        Cluster.Faults.Hiccup(0, TimeSpan.FromSeconds(30));
        Cluster.Faults.CommandLog.Start();
        var pending = c.CallAsync(Opcode.Noop);
        var sw = Stopwatch.StartNew();
        while (!Cluster.Faults.CommandLog.Snapshot().Any(r => r.Opcode == Opcode.Noop))
        {
            Assert.True(sw.ElapsedMilliseconds < 5000, "the node never received the NOOP");
            await Task.Delay(10);
        }
        Assert.False(pending.IsCompleted);
        Cluster.Faults.Reset();
        Assert.Equal(KvStatus.Success, (await pending).Status);
    }

    [Fact]
    public async Task Truncate_cuts_a_tls_response_inside_its_first_frame()
    {
        await using var c = await TlsBucketAsync(0);
        Cluster.Faults.Truncate(0, 10);
        await c.SendAsync(FrameWriter.Request(Opcode.Version, c.NextOpaque(), default, default, default));
        var bytes = await c.ReadToEndAsync();
        Assert.Equal(10, bytes.Length);
        Assert.Equal(Magic.Response, bytes[0]);
    }
}
