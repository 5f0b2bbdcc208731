using System.Buffers.Binary;
using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Tests.Support;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Kv;

public sealed class KvSessionTests : ClusterTestBase
{
    [Theory]
    [InlineData("SCRAM-SHA1")]
    [InlineData("SCRAM-SHA256")]
    [InlineData("SCRAM-SHA512")]
    public async Task Scram_succeeds_with_the_right_password_and_proves_the_server(string mechanism)
    {
        await using var c = await RawKvClient.ConnectAsync(Cluster.Nodes[0].KvPort);
        var (final, valid) = await c.ScramAsync(mechanism, "Administrator", "password");
        Assert.Equal(KvStatus.Success, final.Status);
        Assert.True(valid, "server signature must verify");
        Assert.Equal(KvStatus.Success, (await c.SelectBucketAsync("default")).Status);
    }

    [Theory]
    [InlineData("SCRAM-SHA1")]
    [InlineData("SCRAM-SHA512")]
    public async Task Scram_fails_with_a_wrong_password(string mechanism)
    {
        await using var c = await RawKvClient.ConnectAsync(Cluster.Nodes[0].KvPort);
        var (final, _) = await c.ScramAsync(mechanism, "Administrator", "wrong");
        Assert.Equal(KvStatus.AuthError, final.Status);
        Assert.Equal(KvStatus.NoAccess, (await c.SelectBucketAsync("default")).Status);
    }

    [Fact]
    public async Task Scram_uses_4096_iterations_and_a_salt_per_user()
    {
        await using var c = await RawKvClient.ConnectAsync(Cluster.Nodes[0].KvPort);
        var first = await c.CallAsync(Opcode.SaslAuth, key: "SCRAM-SHA256", value: Encoding.UTF8.GetBytes("n,,n=Administrator,r=0123456789abcdef"));
        Assert.Equal(KvStatus.AuthContinue, first.Status);
        var text = Encoding.UTF8.GetString(first.Value);
        Assert.StartsWith("r=0123456789abcdef", text);
        Assert.EndsWith(",i=4096", text);
        Assert.Contains(",s=", text);
    }

    [Fact]
    public async Task Plain_auth_and_mechanism_list()
    {
        await using var c = await RawKvClient.ConnectAsync(Cluster.Nodes[1].KvPort);
        var mechs = await c.CallAsync(Opcode.SaslListMechs);
        Assert.Equal("SCRAM-SHA512 SCRAM-SHA256 SCRAM-SHA1 PLAIN", Encoding.ASCII.GetString(mechs.Value));
        Assert.Equal(KvStatus.AuthError, (await c.PlainAsync("Administrator", "nope")).Status);
        Assert.Equal(KvStatus.Success, (await c.PlainAsync("Administrator", "password")).Status);
    }

    [Fact]
    public async Task Data_commands_need_a_bucket_and_select_needs_auth()
    {
        await using var c = await RawKvClient.ConnectAsync(Cluster.Nodes[0].KvPort);
        Assert.Equal(KvStatus.NoBucket, (await c.GetAsync("foo", Vb("foo"))).Status);
        Assert.Equal(KvStatus.NoAccess, (await c.SelectBucketAsync("default")).Status);
        Assert.Equal(KvStatus.NoAccess, (await c.CallAsync(Opcode.GetClusterConfig)).Status);
        await c.PlainAsync("Administrator", "password");
        Assert.Equal(KvStatus.NoBucket, (await c.GetAsync("foo", Vb("foo"))).Status);
        Assert.Equal(KvStatus.NoAccess, (await c.SelectBucketAsync("no-such-bucket")).Status);
        Assert.Equal(KvStatus.Success, (await c.SelectBucketAsync("default")).Status);
    }

    [Fact]
    public async Task Hello_acks_exactly_the_implemented_features()
    {
        await using var c = await RawKvClient.ConnectAsync(Cluster.Nodes[0].KvPort);
        var acked = await c.HelloAsync(HelloFeature.Collections, HelloFeature.XError, HelloFeature.Json,
            HelloFeature.Snappy, HelloFeature.MutationSeqno, HelloFeature.UnorderedExecution, HelloFeature.TcpNoDelay,
            HelloFeature.SelectBucket, HelloFeature.AltRequestSupport, HelloFeature.Duplex, HelloFeature.Xattr);
        Assert.Equal(new ushort[] { 0x07, 0x0b, 0x04, 0x03, 0x08, 0x0c, 0x06 }, acked);
    }

    [Fact]
    public async Task Error_map_v2_and_v1()
    {
        await using var c = await RawKvClient.ConnectAsync(Cluster.Nodes[0].KvPort);
        var v2 = await c.CallAsync(Opcode.GetErrorMap, value: new byte[] { 0, 2 });
        var map = JObject.Parse(Encoding.UTF8.GetString(v2.Value));
        Assert.Equal(2, map.Value<int>("version"));
        Assert.Equal(new[] { "fetch-config", "invalid-input" }, map["errors"]!["7"]!["attrs"]!.Values<string>());
        Assert.Equal(new[] { "temp", "retry-now" }, map["errors"]!["86"]!["attrs"]!.Values<string>());
        Assert.Contains("rate-limit", map["errors"]!["c"]!["attrs"]!.Values<string>());
        var v1 = JObject.Parse(Encoding.UTF8.GetString((await c.CallAsync(Opcode.GetErrorMap, value: new byte[] { 0, 1 })).Value));
        Assert.Equal(1, v1.Value<int>("version"));
        Assert.DoesNotContain("rate-limit", v1["errors"]!["c"]!["attrs"]!.Values<string>());
    }

    [Fact]
    public async Task Cluster_config_uses_host_placeholder_and_obeys_ordering_rules()
    {
        await using var c = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[1].KvPort);
        var f = await c.CallAsync(Opcode.GetClusterConfig);
        Assert.Equal(KvStatus.Success, f.Status);
        Assert.Equal(DataType.Json, f.DataType);
        var cfg = JObject.Parse(Encoding.UTF8.GetString(f.Value));
        var serverList = cfg["vBucketServerMap"]!["serverList"]!.Values<string>().ToList();
        var nodesExt = (JArray)cfg["nodesExt"]!;
        var nodes = (JArray)cfg["nodes"]!;
        Assert.Equal(3, serverList.Count);
        Assert.Equal(3, nodes.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(serverList[i], $"{nodesExt[i]["hostname"]}:{nodesExt[i]["services"]!["kv"]}");
            Assert.Equal(nodesExt[i]["services"]!["kv"]!.Value<int>(), nodes[i]["ports"]!["direct"]!.Value<int>());
            Assert.Equal(Cluster.Nodes[i].ViewsPort, nodesExt[i]["services"]!["capi"]!.Value<int>());
        }
        Assert.Equal("$HOST", nodesExt[1].Value<string>("hostname"));
        Assert.True(nodesExt[1].Value<bool>("thisNode"));
        Assert.Equal("127.0.0.1", nodesExt[0].Value<string>("hostname"));
        Assert.StartsWith($"http://$HOST:{Cluster.Nodes[1].ViewsPort}/default", nodes[1].Value<string>("couchApiBase"));
        var map = (JArray)cfg["vBucketServerMap"]!["vBucketMap"]!;
        Assert.Equal(64, map.Count);
        Assert.All(map, row => Assert.Equal(2, ((JArray)row).Count));
        Assert.Equal("vbucket", cfg.Value<string>("nodeLocator"));
    }

    [Fact]
    public async Task Known_version_config_fetch_and_nmvb_dedupe()
    {
        await using var c = await RawKvClient.ConnectAsync(Cluster.Nodes[0].KvPort);
        var acked = await c.HelloAsync(HelloFeature.XError, HelloFeature.Json, HelloFeature.GetClusterConfigWithKnownVersion,
            HelloFeature.DedupeNotMyVbucketClustermap);
        Assert.Equal(new ushort[] { 0x07, 0x0b, 0x1d, 0x1e }, acked);
        await c.PlainAsync("Administrator", "password");
        await c.SelectBucketAsync("default");

        var extras = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(extras, 1);
        BinaryPrimitives.WriteInt64BigEndian(extras.AsSpan(8), Cluster.Revision);
        var same = await c.CallAsync(Opcode.GetClusterConfig, extras);
        Assert.Equal(KvStatus.Success, same.Status);
        Assert.Equal(0, same.ValueLength);

        // the client has this revision, so NMVB comes without a body...
        var stranger = Enumerable.Range(0, 64).First(vb => Default.ActiveNodeOf(vb) != 0);
        var nmvb = await c.CallAsync(Opcode.Get, key: "k", vBucket: (ushort)stranger);
        Assert.Equal(KvStatus.NotMyVBucket, nmvb.Status);
        Assert.Equal(0, nmvb.ValueLength);

        // ...until the map changes; then once with the new map, then bare again
        var rev = Cluster.Revision;
        Cluster.Faults.MoveVBucket("default", 0, 2);
        Assert.True(Cluster.Revision > rev);
        var fresh = await c.CallAsync(Opcode.Get, key: "k", vBucket: (ushort)stranger);
        Assert.Equal(Cluster.Revision, JObject.Parse(Encoding.UTF8.GetString(fresh.Value)).Value<long>("rev"));
        Assert.Equal(0, (await c.CallAsync(Opcode.Get, key: "k", vBucket: (ushort)stranger)).ValueLength);

        BinaryPrimitives.WriteInt64BigEndian(extras.AsSpan(8), Cluster.Revision - 1);
        var older = await c.CallAsync(Opcode.GetClusterConfig, extras);
        Assert.True(older.ValueLength > 0);
    }

    [Fact]
    public async Task Duplex_clients_get_each_new_map_pushed()
    {
        await using var c = await RawKvClient.ConnectAsync(Cluster.Nodes[0].KvPort);
        Assert.Equal(KvStatus.InvalidArguments, (await c.CallAsync(Opcode.Hello, key: "x", value: new byte[] { 0, 0x0d })).Status);
        var acked = await c.HelloAsync(HelloFeature.XError, HelloFeature.Json, HelloFeature.Duplex, HelloFeature.ClustermapChangeNotification);
        Assert.Equal(new ushort[] { 0x07, 0x0b, 0x0c, 0x0d }, acked);
        await c.PlainAsync("Administrator", "password");
        await c.SelectBucketAsync("default");
        Cluster.Faults.Failover(2);
        var push = await c.ReadAsync();
        Assert.NotNull(push);
        Assert.Equal(Magic.ServerRequest, push!.Magic);
        Assert.Equal(0x01, (int)push.Opcode);
        Assert.Equal("default", push.KeyString);
        Assert.Equal(Cluster.Revision, BinaryPrimitives.ReadInt64BigEndian(push.Extras.Slice(8)));
        var map = JObject.Parse(Encoding.UTF8.GetString(push.Value));
        Assert.Equal(2, ((JArray)map["vBucketServerMap"]!["serverList"]!).Count);
        // a reply from the client to the push is accepted silently; the connection stays usable
        await c.SendRawAsync(FrameWriter.Response((Opcode)0x01, KvStatus.Success, push.Opaque).Select((b, i) => i == 0 ? Magic.ServerResponse : b).ToArray());
        Assert.Equal(KvStatus.Success, (await c.CallAsync(Opcode.Noop)).Status);

        await using var brief = await RawKvClient.ConnectAsync(Cluster.Nodes[1].KvPort);
        var briefAcked = await brief.HelloAsync(HelloFeature.Duplex, HelloFeature.ClustermapChangeNotification, HelloFeature.ClustermapChangeNotificationBrief);
        Assert.Equal(new ushort[] { 0x0c, 0x1f }, briefAcked);
        await brief.PlainAsync("Administrator", "password");
        await brief.SelectBucketAsync("default");
        Cluster.Faults.AddBack(2);
        var note = await brief.ReadAsync();
        Assert.Equal(Magic.ServerRequest, note!.Magic);
        Assert.Equal(0, note.ValueLength);
        Assert.Equal(Cluster.Revision, BinaryPrimitives.ReadInt64BigEndian(note.Extras.Slice(8)));
    }

    [Fact]
    public async Task Global_config_without_a_bucket_after_auth()
    {
        await using var c = await RawKvClient.ConnectAsync(Cluster.Nodes[0].KvPort);
        await c.PlainAsync("Administrator", "password");
        var f = await c.CallAsync(Opcode.GetClusterConfig);
        Assert.Equal(KvStatus.Success, f.Status);
        var cfg = JObject.Parse(Encoding.UTF8.GetString(f.Value));
        Assert.Equal(3, ((JArray)cfg["nodesExt"]!).Count);
        Assert.Null(cfg["vBucketServerMap"]);
    }

    [Fact]
    public async Task Noop_version_stat_and_quit()
    {
        await using var c = await RawKvClient.ConnectAsync(Cluster.Nodes[0].KvPort);
        Assert.Equal(KvStatus.Success, (await c.CallAsync(Opcode.Noop)).Status);
        Assert.StartsWith("7.", Encoding.ASCII.GetString((await c.CallAsync(Opcode.Version)).Value));
        await c.SendAsync(FrameWriter.Request(Opcode.Stat, 77));
        var stats = new Dictionary<string, string>();
        while (true)
        {
            var f = await c.ReadAsync();
            Assert.NotNull(f);
            if (f!.KeyLength == 0) break;
            stats[f.KeyString] = Encoding.ASCII.GetString(f.Value);
        }
        Assert.True(stats.ContainsKey("pid"));
        Assert.Equal(KvStatus.Success, (await c.CallAsync(Opcode.Quit)).Status);
        Assert.Null(await c.ReadAsync());
    }

    [Fact]
    public async Task Pipelined_bootstrap_batch_is_answered_in_order()
    {
        await using var c = await RawKvClient.ConnectAsync(Cluster.Nodes[0].KvPort);
        var hello = new byte[] { 0x00, 0x07, 0x00, 0x0b };
        var batch = new[]
        {
            FrameWriter.Request(Opcode.Hello, 1, key: "agent"u8, value: hello),
            FrameWriter.Request(Opcode.GetErrorMap, 2, value: new byte[] { 0, 2 }),
            FrameWriter.Request(Opcode.SaslListMechs, 3),
            FrameWriter.Request(Opcode.SaslAuth, 4, key: "PLAIN"u8, value: "\0Administrator\0password"u8),
            FrameWriter.Request(Opcode.SelectBucket, 5, key: "default"u8),
            FrameWriter.Request(Opcode.GetClusterConfig, 6),
        }.SelectMany(b => b).ToArray();
        await c.SendRawAsync(batch);
        for (uint i = 1; i <= 6; i++)
        {
            var f = await c.ReadAsync();
            Assert.NotNull(f);
            Assert.Equal(i, f!.Opaque);
            Assert.Equal(KvStatus.Success, f.Status);
        }
    }

    [Fact]
    public async Task Forced_status_can_target_a_keyless_opcode_on_one_node()
    {
        using var rule = Cluster.Faults.ForceStatus(KvStatus.TemporaryFailure, Opcode.GetClusterConfig, count: -1, node: 1);
        await using var n1 = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[1].KvPort);
        await using var n0 = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[0].KvPort);
        Assert.Equal(KvStatus.TemporaryFailure, (await n1.CallAsync(Opcode.GetClusterConfig)).Status);
        Assert.Equal(KvStatus.Success, (await n0.CallAsync(Opcode.GetClusterConfig)).Status);
        Assert.Equal(KvStatus.Success, (await n1.CallAsync(Opcode.Noop)).Status);
    }

    [Fact]
    public async Task Observe_reports_persistence_and_replication_as_slowed_by_SlowDurability()
    {
        const string key = "observed";
        var vb = Vb(key);
        var bucket = Cluster.Bucket("default");
        Cluster.Faults.SlowDurability(persistence: TimeSpan.FromHours(1), replication: TimeSpan.FromHours(1));
        await using var active = await ToOwnerAsync(key);
        var cas = (await active.SetAsync(key, "1", vb)).Cas;
        await using var replica = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[bucket.ReplicaNodesOf(vb)[0]].KvPort);

        async Task<(byte State, ulong Cas)> Observe(RawKvClient c)
        {
            var body = new byte[4 + key.Length];
            BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)vb);
            BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(2), (ushort)key.Length);
            System.Text.Encoding.ASCII.GetBytes(key).CopyTo(body, 4);
            var f = await c.CallAsync(Opcode.Observe, value: body);
            Assert.Equal(KvStatus.Success, f.Status);
            var entry = f.Value.Slice(4 + key.Length);
            return (entry[0], BinaryPrimitives.ReadUInt64BigEndian(entry.Slice(1)));
        }

        Assert.Equal(((byte)0x00, cas), await Observe(active));   // found, not persisted
        Assert.Equal(((byte)0x80, 0UL), await Observe(replica));  // not there yet
        Cluster.Faults.SlowDurability(TimeSpan.Zero, TimeSpan.Zero);
        Assert.Equal(((byte)0x01, cas), await Observe(active));   // persisted
        Assert.Equal(((byte)0x01, cas), await Observe(replica));
    }

    [Fact]
    public async Task Observe_seqno_reports_the_mutation_token()
    {
        await using var c = await ToOwnerAsync("obs");
        var set = await c.SetAsync("obs", "1", Vb("obs"));
        var uuid = BinaryPrimitives.ReadUInt64BigEndian(set.Extras);
        var seqno = BinaryPrimitives.ReadUInt64BigEndian(set.Extras.Slice(8));
        var value = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(value, uuid);
        var f = await c.CallAsync(Opcode.ObserveSeqno, value: value, vBucket: Vb("obs"));
        Assert.Equal(KvStatus.Success, f.Status);
        Assert.Equal(seqno, BinaryPrimitives.ReadUInt64BigEndian(f.Value.Slice(19)));
    }
}

public sealed class MemcachedBucketTests : ClusterTestBase
{
    protected override InProcessClusterOptions Options() => new()
    {
        Nodes = 2,
        Buckets = { new BucketDefinition("cache", BucketType.Memcached) },
    };

    [Fact]
    public async Task Stores_locally_without_vbucket_checks_and_has_no_cccp()
    {
        await using var a = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[0].KvPort, "cache");
        await using var b = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[1].KvPort, "cache");
        Assert.Equal(KvStatus.Success, (await a.SetAsync("k", "on-a", 0)).Status);
        Assert.Equal(KvStatus.Success, (await b.SetAsync("k", "on-b", 0)).Status);
        Assert.Equal("on-a", Encoding.UTF8.GetString((await a.GetAsync("k", 0)).Value));
        Assert.Equal("on-b", Encoding.UTF8.GetString((await b.GetAsync("k", 0)).Value));
        Assert.Equal(KvStatus.NotSupported, (await a.CallAsync(Opcode.GetClusterConfig)).Status);
        var cfg = JObject.Parse(Cluster.ConfigJson("cache"));
        Assert.Equal("ketama", cfg.Value<string>("nodeLocator"));
        Assert.Null(cfg["vBucketServerMap"]);
        Assert.Equal(2, ((JArray)cfg["nodes"]!).Count);
    }
}
