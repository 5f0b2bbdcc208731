using Xunit;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Tests.Kv;

public sealed class KvDocumentTests : ClusterTestBase
{
    [Fact]
    public async Task Starts_three_nodes_quickly_with_distinct_ports_and_a_connection_string()
    {
        await (await InProcessCluster.StartAsync()).DisposeAsync(); // warm up (JIT) so the timing is the cluster's own
        var sw = Stopwatch.StartNew();
        await using var cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions { Nodes = 3 });
        sw.Stop();
        Assert.True(sw.ElapsedMilliseconds < 1000, $"took {sw.ElapsedMilliseconds} ms");
        var ports = cluster.Nodes.SelectMany(n => new[] { n.KvPort, n.MgmtPort, n.ViewsPort }).ToList();
        Assert.Equal(9, ports.Distinct().Count());
        Assert.All(ports, p => Assert.True(p > 0));
        Assert.Equal($"couchbase://127.0.0.1:{cluster.Nodes[0].KvPort},127.0.0.1:{cluster.Nodes[1].KvPort},127.0.0.1:{cluster.Nodes[2].KvPort}", cluster.ConnectionString);
    }

    [Fact]
    public async Task Set_then_get_returns_value_flags_datatype_and_cas()
    {
        await using var c = await ToOwnerAsync("foo");
        var set = await c.SetAsync("foo", "{\"a\":1}", Vb("foo"), flags: 0x02000001);
        Assert.Equal(KvStatus.Success, set.Status);
        Assert.NotEqual(0UL, set.Cas);
        Assert.Equal(16, set.ExtrasLength); // MUTATION_SEQNO negotiated
        var get = await c.GetAsync("foo", Vb("foo"));
        Assert.Equal(KvStatus.Success, get.Status);
        Assert.Equal("{\"a\":1}", Text(get.Value));
        Assert.Equal(0x02000001u, get.FlagsFromExtras);
        Assert.Equal(DataType.Json, get.DataType);
        Assert.Equal(set.Cas, get.Cas);
        var getk = await c.GetAsync("foo", Vb("foo"), Opcode.GetK);
        Assert.Equal("foo", getk.KeyString);
    }

    [Fact]
    public async Task Cas_is_monotonic_and_checked()
    {
        await using var c = await ToOwnerAsync("doc1");
        var vb = Vb("doc1");
        var a = await c.SetAsync("doc1", "1", vb);
        var b = await c.SetAsync("doc1", "2", vb);
        Assert.True(b.Cas > a.Cas);
        var stale = await c.SetAsync("doc1", "3", vb, cas: a.Cas, op: Opcode.Replace);
        Assert.Equal(KvStatus.KeyExists, stale.Status);
        var ok = await c.SetAsync("doc1", "3", vb, cas: b.Cas, op: Opcode.Replace);
        Assert.Equal(KvStatus.Success, ok.Status);
        Assert.True(ok.Cas > b.Cas);
        Assert.Equal(KvStatus.KeyExists, (await c.SetAsync("doc1", "4", vb, op: Opcode.Add)).Status);
        Assert.Equal(KvStatus.KeyNotFound, (await c.SetAsync("nope", "4", Vb("nope"), op: Opcode.Replace)).Status);
        Assert.Equal(KvStatus.KeyNotFound, (await c.SetAsync("nope2", "4", Vb("nope2"), cas: 42)).Status);
        var del = await c.CallAsync(Opcode.Delete, key: "doc1", vBucket: vb, cas: a.Cas);
        Assert.Equal(KvStatus.KeyExists, del.Status);
        del = await c.CallAsync(Opcode.Delete, key: "doc1", vBucket: vb);
        Assert.Equal(KvStatus.Success, del.Status);
        Assert.Equal(KvStatus.KeyNotFound, (await c.GetAsync("doc1", vb)).Status);
        Assert.Equal(KvStatus.KeyNotFound, (await c.CallAsync(Opcode.Delete, key: "doc1", vBucket: vb)).Status);
    }

    [Fact]
    public async Task Counters_are_ascii_decimal_and_clamp_at_zero()
    {
        const string key = "counter";
        await using var c = await ToOwnerAsync(key);
        var vb = Vb(key);
        Assert.Equal(KvStatus.KeyNotFound, (await c.CounterAsync(key, vb, true, 1, 0, 0xffffffff)).Status);
        var created = await c.CounterAsync(key, vb, true, 5, 10);
        Assert.Equal(10UL, BinaryPrimitives.ReadUInt64BigEndian(created.Value));
        var inc = await c.CounterAsync(key, vb, true, 5, 10);
        Assert.Equal(15UL, BinaryPrimitives.ReadUInt64BigEndian(inc.Value));
        Assert.Equal("15", Text((await c.GetAsync(key, vb)).Value));
        var dec = await c.CounterAsync(key, vb, false, 100, 0);
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64BigEndian(dec.Value));
        await using var t = await ToOwnerAsync("text");
        await t.SetAsync("text", "\"abc\"", Vb("text"));
        Assert.Equal(KvStatus.DeltaBadValue, (await t.CounterAsync("text", Vb("text"), true, 1, 0)).Status);
    }

    [Fact]
    public async Task Append_and_prepend_keep_flags_and_miss_with_not_stored()
    {
        await using var c = await ToOwnerAsync("ap");
        var vb = Vb("ap");
        Assert.Equal(KvStatus.NotStored, (await c.CallAsync(Opcode.Append, key: "ap", value: "x"u8.ToArray(), vBucket: vb)).Status);
        await c.SetAsync("ap", "mid", vb, flags: 0x04000000, dataType: DataType.Raw);
        await c.CallAsync(Opcode.Append, key: "ap", value: "-end"u8.ToArray(), vBucket: vb);
        await c.CallAsync(Opcode.Prepend, key: "ap", value: "start-"u8.ToArray(), vBucket: vb);
        var get = await c.GetAsync("ap", vb);
        Assert.Equal("start-mid-end", Text(get.Value));
        Assert.Equal(0x04000000u, get.FlagsFromExtras);
    }

    [Fact]
    public async Task Expiry_follows_the_test_clock()
    {
        await using var c = await ToOwnerAsync("ttl");
        var vb = Vb("ttl");
        await c.SetAsync("ttl", "1", vb, expiry: 10);
        Assert.Equal(KvStatus.Success, (await c.GetAsync("ttl", vb)).Status);
        Cluster.Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(KvStatus.KeyNotFound, (await c.GetAsync("ttl", vb)).Status);

        // absolute expiry (> 30 days) in the past means expired at once
        await c.SetAsync("abs", "1", Vb("abs"), expiry: (uint)(Cluster.Clock.UnixSeconds - 5));
        await using var a = await ToOwnerAsync("abs");
        Assert.Equal(KvStatus.KeyNotFound, (await a.GetAsync("abs", Vb("abs"))).Status);

        // touch extends, GAT returns the value
        await c.SetAsync("ttl", "2", vb, expiry: 10);
        Assert.Equal(KvStatus.Success, (await c.CallAsync(Opcode.Touch, RawKvClient.U32(100), "ttl", vBucket: vb)).Status);
        Cluster.Faults.AdvanceClock(TimeSpan.FromSeconds(50));
        var gat = await c.CallAsync(Opcode.GetAndTouch, RawKvClient.U32(10), "ttl", vBucket: vb);
        Assert.Equal("2", Text(gat.Value));
        Cluster.Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(KvStatus.KeyNotFound, (await c.GetAsync("ttl", vb)).Status);
    }

    [Fact]
    public async Task Get_locked_hides_cas_and_blocks_mutations_until_unlock_or_timeout()
    {
        await using var c = await ToOwnerAsync("lk");
        var vb = Vb("lk");
        await c.SetAsync("lk", "1", vb);
        var locked = await c.CallAsync(Opcode.GetLocked, RawKvClient.U32(5), "lk", vBucket: vb);
        Assert.Equal(KvStatus.Success, locked.Status);
        Assert.Equal(ulong.MaxValue, (await c.GetAsync("lk", vb)).Cas);
        Assert.Equal(KvStatus.Locked, (await c.SetAsync("lk", "2", vb)).Status);
        Assert.Equal(KvStatus.Locked, (await c.CallAsync(Opcode.GetLocked, key: "lk", vBucket: vb)).Status);
        Assert.Equal(KvStatus.Locked, (await c.CallAsync(Opcode.UnlockKey, key: "lk", vBucket: vb, cas: locked.Cas + 1)).Status);
        Assert.Equal(KvStatus.Success, (await c.CallAsync(Opcode.UnlockKey, key: "lk", vBucket: vb, cas: locked.Cas)).Status);
        Assert.Equal(KvStatus.NotLocked, (await c.CallAsync(Opcode.UnlockKey, key: "lk", vBucket: vb, cas: locked.Cas)).Status);
        Assert.Equal(KvStatus.Success, (await c.SetAsync("lk", "2", vb)).Status);

        // a mutation with the lock CAS succeeds and unlocks
        var again = await c.CallAsync(Opcode.GetLocked, key: "lk", vBucket: vb);
        Assert.Equal(KvStatus.Success, (await c.SetAsync("lk", "3", vb, cas: again.Cas)).Status);
        Assert.NotEqual(ulong.MaxValue, (await c.GetAsync("lk", vb)).Cas);

        // the lock times out with the clock
        await c.CallAsync(Opcode.GetLocked, RawKvClient.U32(3), "lk", vBucket: vb);
        Cluster.Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(KvStatus.Success, (await c.SetAsync("lk", "4", vb)).Status);
    }

    [Fact]
    public async Task Without_xerror_lock_statuses_are_remapped()
    {
        const string key = "lk-legacy";
        var vb = Vb(key);
        await using var c = await RawKvClient.ConnectAsync(Cluster.Nodes[Owner(key)].KvPort);
        await c.PlainAsync("Administrator", "password");
        await c.SelectBucketAsync("default");
        await c.SetAsync(key, "1", vb);
        var locked = await c.CallAsync(Opcode.GetLocked, key: key, vBucket: vb);
        Assert.Equal(KvStatus.KeyExists, (await c.SetAsync(key, "2", vb)).Status);
        Assert.Equal(KvStatus.TemporaryFailure, (await c.CallAsync(Opcode.Delete, key: key, vBucket: vb)).Status);
        Assert.Equal(KvStatus.TemporaryFailure, (await c.CallAsync(Opcode.GetLocked, key: key, vBucket: vb)).Status);
        Assert.Equal(KvStatus.Success, (await c.CallAsync(Opcode.UnlockKey, key: key, vBucket: vb, cas: locked.Cas)).Status);
        Assert.Equal(KvStatus.TemporaryFailure, (await c.CallAsync(Opcode.UnlockKey, key: key, vBucket: vb, cas: locked.Cas)).Status);
        Assert.Equal(DataType.Raw, (await c.GetAsync(key, vb)).DataType); // JSON not negotiated: datatype hidden
    }

    [Fact]
    public async Task Port_conflicts_fail_start_cleanly()
    {
        var taken = Cluster.Nodes[0].KvPort;
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() =>
            InProcessCluster.StartAsync(new InProcessClusterOptions { KvPortBase = taken }));
    }

    [Fact]
    public async Task Quiet_gets_and_sets_are_silent_until_the_noop_fence()
    {
        await using var c = await ToOwnerAsync("q1");
        var vb = Vb("q1");
        var frames = new List<byte[]>
        {
            FrameWriter.Request(Opcode.SetQ, 1, RawKvClient.Extras(0, 0), Encoding.UTF8.GetBytes("q1"), "v"u8, vb),
            FrameWriter.Request(Opcode.GetKQ, 2, default, Encoding.UTF8.GetBytes("q1"), default, vb),
            FrameWriter.Request(Opcode.GetQ, 3, default, "missing-q"u8, default, (ushort)Default.VBucketOf("missing-q")),
            FrameWriter.Request(Opcode.Noop, 4),
        };
        await c.SendRawAsync(frames.SelectMany(f => f).ToArray());
        var first = await c.ReadAsync();
        Assert.NotNull(first);
        Assert.Equal(2u, first!.Opaque);
        Assert.Equal("q1", first.KeyString);
        Assert.Equal("v", Text(first.Value));
        var next = await c.ReadAsync();
        // the miss for "missing-q" is either silent (same owner) or an NMVB error reply; NOOP ends the batch
        if (next!.Opaque == 3) { Assert.Equal(KvStatus.NotMyVBucket, next.Status); next = await c.ReadAsync(); }
        Assert.Equal(4u, next!.Opaque);
        Assert.Equal(Opcode.Noop, next.Opcode);
    }

    [Fact]
    public async Task Key_and_value_limits_are_enforced()
    {
        await using var c = await ToOwnerAsync("foo");
        var longKey = new string('k', 251);
        Assert.Equal(KvStatus.InvalidArguments, (await c.SetAsync(longKey, "1", 0)).Status);
        var big = new byte[20 * 1024 * 1024 + 1];
        var f = await c.CallAsync(Opcode.Set, RawKvClient.Extras(0, 0), "foo", big, Vb("foo"));
        Assert.Equal(KvStatus.ValueTooLarge, f.Status);
    }

    [Fact]
    public async Task Frames_larger_than_30_MiB_close_the_connection()
    {
        await using var c = await ToOwnerAsync("foo");
        var header = new byte[24];
        FrameWriter.WriteHeader(header, Magic.Request, Opcode.Set, 0, 8, 3, DataType.Raw, Vb("foo"), 31 * 1024 * 1024, 9, 0);
        await c.SendRawAsync(header);
        Assert.Null(await c.ReadAsync());
    }

    [Fact]
    public async Task Not_my_vbucket_carries_the_current_map()
    {
        await using var c = await ToStrangerAsync("foo");
        var f = await c.SetAsync("foo", "1", Vb("foo"));
        Assert.Equal(KvStatus.NotMyVBucket, f.Status);
        var map = JObject.Parse(Text(f.Value));
        Assert.Equal(Cluster.Revision, map.Value<long>("rev"));
        var serverList = map["vBucketServerMap"]!["serverList"]!.Values<string>().ToList();
        Assert.Equal(3, serverList.Count);
        Assert.Contains(serverList, s => s!.StartsWith("$HOST:", StringComparison.Ordinal));
        var row = map["vBucketServerMap"]!["vBucketMap"]![(int)Vb("foo")]!.Values<int>().ToList();
        Assert.Equal($":{Cluster.Nodes[Owner("foo")].KvPort}", serverList[row[0]]![serverList[row[0]]!.IndexOf(':')..]);
    }

    [Fact]
    public async Task Replica_reads_are_served_by_replica_nodes_only()
    {
        await using (var owner = await ToOwnerAsync("rep")) await owner.SetAsync("rep", "r", Vb("rep"));
        var replica = Default.ReplicaNodesOf(Vb("rep")).Single();
        await using var r = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[replica].KvPort);
        var f = await r.CallAsync(Opcode.GetReplica, key: "rep", vBucket: Vb("rep"));
        Assert.Equal(KvStatus.Success, f.Status);
        Assert.Equal("r", Text(f.Value));
        Assert.Equal(KvStatus.NotMyVBucket, (await r.GetAsync("rep", Vb("rep"))).Status);
        await using var owner2 = await ToOwnerAsync("rep");
        Assert.Equal(KvStatus.NotMyVBucket, (await owner2.CallAsync(Opcode.GetReplica, key: "rep", vBucket: Vb("rep"))).Status);
    }
}
