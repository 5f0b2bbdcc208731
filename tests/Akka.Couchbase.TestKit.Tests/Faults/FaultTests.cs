using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Tests.Support;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Faults;

public sealed class FaultTests : ClusterTestBase
{
    [Fact]
    public async Task Failover_promotes_the_replica_and_the_old_owner_answers_nmvb_with_a_newer_map()
    {
        const string key = "foo";
        var vb = Vb(key);
        var owner = Owner(key);
        var replica = Default.ReplicaNodesOf(vb).Single();
        await using (var c = await ToOwnerAsync(key)) await c.SetAsync(key, "before", vb);
        var rev = Cluster.Revision;

        Cluster.Faults.Failover(owner);

        Assert.True(Cluster.Revision > rev);
        Assert.Equal(replica, Default.ActiveNodeOf(vb));
        Assert.DoesNotContain(owner, Default.CurrentMap().SelectMany(r => r));
        await using var old = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[owner].KvPort);
        var nmvb = await old.GetAsync(key, vb);
        Assert.Equal(KvStatus.NotMyVBucket, nmvb.Status);
        var map = JObject.Parse(Encoding.UTF8.GetString(nmvb.Value));
        Assert.Equal(Cluster.Revision, map.Value<long>("rev"));
        Assert.Equal(2, ((JArray)map["vBucketServerMap"]!["serverList"]!).Count);
        await using var promoted = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[replica].KvPort);
        var get = await promoted.GetAsync(key, vb);
        Assert.Equal(KvStatus.Success, get.Status);
        Assert.Equal("before", Encoding.UTF8.GetString(get.Value));

        Cluster.Faults.AddBack(owner);
        Assert.Contains(owner, Default.CurrentMap().Select(r => r[0]));
    }

    [Fact]
    public async Task Moving_a_vbucket_bumps_rev_and_redirects()
    {
        const string key = "user::1";
        var vb = Vb(key);
        var owner = Owner(key);
        var target = (owner + 1) % 3;
        var rev = Cluster.Revision;
        Cluster.Faults.MoveVBucket("default", vb, target);
        Assert.True(Cluster.Revision > rev);
        await using var old = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[owner].KvPort);
        Assert.Equal(KvStatus.NotMyVBucket, (await old.SetAsync(key, "1", vb)).Status);
        await using var now = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[target].KvPort);
        Assert.Equal(KvStatus.Success, (await now.SetAsync(key, "1", vb)).Status);
    }

    [Fact]
    public async Task Rebalance_after_failover_and_add_back_restores_a_full_map()
    {
        Cluster.Faults.Failover(1);
        Cluster.Faults.Rebalance();
        Assert.All(Default.CurrentMap(), row => Assert.DoesNotContain(1, row));
        Assert.All(Default.CurrentMap(), row => Assert.NotEqual(-1, row[1]));
        Cluster.Faults.AddBack(1);
        var actives = Default.CurrentMap().GroupBy(r => r[0]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, actives.Count);
        Assert.All(actives.Values, n => Assert.InRange(n, 21, 22));
    }

    [Fact]
    public async Task Staged_rebalance_publishes_a_forward_map_then_moves_vbuckets()
    {
        Cluster.Faults.Failover(2);
        Cluster.Faults.Rebalance();
        Cluster.Faults.AddBack(2, rebalance: false);
        Assert.All(Default.CurrentMap(), row => Assert.DoesNotContain(2, row));

        Cluster.Faults.BeginRebalance();
        var cfg = JObject.Parse(Cluster.ConfigJson("default"));
        var forward = (JArray)cfg["vBucketServerMap"]!["vBucketMapForward"]!;
        Assert.Equal(64, forward.Count);
        var moving = Enumerable.Range(0, 64).First(vb => forward[vb]![0]!.Value<int>() == 2);
        var oldOwner = Default.ActiveNodeOf(moving);
        Assert.NotEqual(2, oldOwner);

        Cluster.Faults.CompleteRebalance();
        Assert.Equal(2, Default.ActiveNodeOf(moving));
        Assert.Null(JObject.Parse(Cluster.ConfigJson("default"))["vBucketServerMap"]!["vBucketMapForward"]);
        await using var old = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[oldOwner].KvPort);
        Assert.Equal(KvStatus.NotMyVBucket, (await old.SetAsync("x", "1", (ushort)moving)).Status);
        await using var now = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[2].KvPort);
        Assert.Equal(KvStatus.Success, (await now.SetAsync("x", "1", (ushort)moving)).Status);
    }

    [Fact]
    public async Task Reset_ends_a_long_hiccup_at_once()
    {
        await using var c = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[0].KvPort);
        Cluster.Faults.Hiccup(0, TimeSpan.FromSeconds(30));
        var sw = Stopwatch.StartNew();
        Cluster.Faults.CommandLog.Start();
        var pending = c.CallAsync(Opcode.Noop);
        // the node has the NOOP (and holds its answer): seen in its command log, not assumed after a pause
        while (!Cluster.Faults.CommandLog.Snapshot().Any(r => r.Opcode == Opcode.Noop))
        {
            Assert.True(sw.ElapsedMilliseconds < 5000, "the node never received the NOOP");
            await Task.Delay(10);
        }
        Assert.False(pending.IsCompleted);
        Cluster.Faults.Reset();
        Assert.Equal(KvStatus.Success, (await pending).Status);
        Assert.True(sw.ElapsedMilliseconds < 5000);
    }

    [Fact]
    public async Task Stop_and_restart_keeps_ports_and_data()
    {
        const string key = "doc1";
        var owner = Owner(key);
        var port = Cluster.Nodes[owner].KvPort;
        await using (var c = await ToOwnerAsync(key)) await c.SetAsync(key, "kept", Vb(key));
        await using var open = await ToOwnerAsync(key);
        await Cluster.Faults.StopNodeAsync(owner);
        Assert.False(Cluster.Nodes[owner].IsRunning);
        Assert.Null(await open.ReadAsync(TimeSpan.FromSeconds(5)));
        await Assert.ThrowsAnyAsync<SocketException>(() => RawKvClient.ConnectAsync(port));
        await Cluster.Faults.RestartNodeAsync(owner);
        Assert.Equal(port, Cluster.Nodes[owner].KvPort);
        await using var again = await ToOwnerAsync(key);
        Assert.Equal("kept", Encoding.UTF8.GetString((await again.GetAsync(key, Vb(key))).Value));
    }

    [Fact]
    public async Task Hiccup_stalls_responses_for_the_duration()
    {
        await using var c = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[0].KvPort);
        Cluster.Faults.Hiccup(0, TimeSpan.FromMilliseconds(400));
        var sw = Stopwatch.StartNew();
        Assert.Equal(KvStatus.Success, (await c.CallAsync(Opcode.Noop)).Status);
        Assert.True(sw.ElapsedMilliseconds >= 350, $"answered after {sw.ElapsedMilliseconds} ms");
        sw.Restart();
        await c.CallAsync(Opcode.Noop);
        Assert.True(sw.ElapsedMilliseconds < 1000, $"hiccup should be over, second NOOP took {sw.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Drop_connections_closes_sockets_but_keeps_listening()
    {
        await using var c = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[2].KvPort);
        Cluster.Faults.DropConnections(2);
        Assert.Null(await c.ReadAsync(TimeSpan.FromSeconds(5)));
        await using var again = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[2].KvPort);
        Assert.Equal(KvStatus.Success, (await again.CallAsync(Opcode.Noop)).Status);
    }

    [Fact]
    public async Task Truncate_sends_part_of_the_next_frame_then_closes()
    {
        await using var c = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[0].KvPort);
        Cluster.Faults.Truncate(0, 10);
        await c.SendAsync(FrameWriter.Request(Opcode.Version, 1));
        var bytes = await c.ReadToEndAsync();
        Assert.Equal(10, bytes.Length);
        Assert.Equal(0x81, bytes[0]);
    }

    [Fact]
    public async Task Forced_status_fires_n_times_for_matching_opcode_and_key()
    {
        const string key = "forced-1";
        await using var c = await ToOwnerAsync(key);
        var vb = Vb(key);
        await c.SetAsync(key, "v", vb);
        var rule = Cluster.Faults.ForceStatus(KvStatus.TemporaryFailure, Opcode.Get, "^forced-", count: 2);
        Assert.Equal(KvStatus.TemporaryFailure, (await c.GetAsync(key, vb)).Status);
        Assert.Equal(KvStatus.Success, (await c.SetAsync(key, "w", vb)).Status); // other opcode untouched
        Assert.Equal(KvStatus.TemporaryFailure, (await c.GetAsync(key, vb)).Status);
        Assert.Equal(KvStatus.Success, (await c.GetAsync(key, vb)).Status);
        Assert.Equal(2, rule.Hits);

        using var forever = Cluster.Faults.ForceStatus(KvStatus.Busy, keyPattern: "^forced-", count: -1);
        for (var i = 0; i < 3; i++) Assert.Equal(KvStatus.Busy, (await c.GetAsync(key, vb)).Status);
        forever.Dispose();
        Assert.Equal(KvStatus.Success, (await c.GetAsync(key, vb)).Status);
    }

    [Fact]
    public async Task Swallowed_requests_get_no_reply_while_others_do()
    {
        const string key = "swallow-me";
        await using var c = await ToOwnerAsync(key);
        var vb = Vb(key);
        await c.SetAsync(key, "v", vb);
        using var rule = Cluster.Faults.Swallow(Opcode.Get, "^swallow-", count: 1);
        await c.SendRawAsync(FrameWriter.Request(Opcode.Get, 100, default, System.Text.Encoding.UTF8.GetBytes(key), default, vb));
        await c.SendRawAsync(FrameWriter.Request(Opcode.Noop, 101));
        var next = await c.ReadAsync();
        Assert.Equal(101u, next!.Opaque);
        Assert.Equal(1, rule.Hits);
        Assert.Equal(KvStatus.Success, (await c.GetAsync(key, vb)).Status);
    }

    [Fact]
    public async Task Cccp_off_answers_not_supported_and_bare_nmvb()
    {
        Cluster.Faults.SetCccp(false);
        await using var c = await ToStrangerAsync("foo");
        Assert.Equal(KvStatus.NotSupported, (await c.CallAsync(Opcode.GetClusterConfig)).Status);
        var nmvb = await c.GetAsync("foo", Vb("foo"));
        Assert.Equal(KvStatus.NotMyVBucket, nmvb.Status);
        Assert.Equal(0, nmvb.ValueLength);
        Cluster.Faults.Reset();
        Assert.Equal(KvStatus.Success, (await c.CallAsync(Opcode.GetClusterConfig)).Status);
    }

    [Fact]
    public async Task Command_log_records_requests_in_arrival_order_with_node_and_connection()
    {
        await using var c = await ToOwnerAsync("logged");
        Cluster.Faults.CommandLog.Start();
        await c.SetAsync("logged", "1", Vb("logged"));
        await c.GetAsync("logged", Vb("logged"));
        Cluster.Faults.CommandLog.Stop();
        await c.GetAsync("logged", Vb("logged"));
        var log = Cluster.Faults.CommandLog.Snapshot();
        Assert.Equal(new[] { Opcode.Set, Opcode.Get }, log.Select(r => r.Opcode));
        Assert.All(log, r => Assert.Equal("logged", r.Key));
        Assert.All(log, r => Assert.Equal(Owner("logged"), r.Node));
        Assert.Single(log.Select(r => r.Connection).Distinct());
        Assert.True(log[1].Sequence > log[0].Sequence);
        Assert.Equal("default", log[0].Bucket);
        Assert.Equal(1, Cluster.Nodes[Owner("logged")].KvConnectionCount);
    }

    [Fact]
    public async Task Clock_moves_expire_documents_on_every_node()
    {
        await using var c = await ToOwnerAsync("foo");
        await c.SetAsync("foo", "1", Vb("foo"), expiry: 60);
        Cluster.Faults.AdvanceClock(TimeSpan.FromSeconds(59));
        Assert.Equal(KvStatus.Success, (await c.GetAsync("foo", Vb("foo"))).Status);
        Cluster.Faults.AdvanceClock(TimeSpan.FromSeconds(2));
        Assert.Equal(KvStatus.KeyNotFound, (await c.GetAsync("foo", Vb("foo"))).Status);
        Assert.Null(Default.Get("foo"));
    }
}
