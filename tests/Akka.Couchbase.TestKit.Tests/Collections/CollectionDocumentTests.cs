using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Tests.Support;
using Newtonsoft.Json.Linq;
using Xunit;
using static Akka.Couchbase.TestKit.Tests.Collections.CollectionFrames;

namespace Akka.Couchbase.TestKit.Tests.Collections;

/// <summary>
/// Document commands on connections that negotiated Collections: the key starts with the collection id (canonical
/// LEB128), the vBucket is the logical key's, each collection keeps its own documents, and a connection that did not
/// negotiate Collections reaches the default collection only.
/// </summary>
public sealed class CollectionDocumentTests : ClusterTestBase
{
    private uint CreateAirline()
    {
        Default.Collections.CreateScope("inventory");
        return Default.Collections.CreateCollection("inventory", "airline");
    }

    [Fact]
    public async Task The_same_key_in_two_collections_is_two_documents()
    {
        var airline = CreateAirline();
        await using var c = await ConnectAsync(Cluster.Nodes[Owner("k")].KvPort);
        Assert.Equal(KvStatus.Success, (await c.SetAsync(Key(0, "k"), "{\"in\":\"default\"}", Vb("k"))).Status);
        Assert.Equal(KvStatus.Success, (await c.SetAsync(Key(airline, "k"), "{\"in\":\"airline\"}", Vb("k"))).Status);
        Assert.Equal("{\"in\":\"default\"}", Body(await c.GetAsync(Key(0, "k"), Vb("k"))));
        Assert.Equal("{\"in\":\"airline\"}", Body(await c.GetAsync(Key(airline, "k"), Vb("k"))));
        Assert.Equal("{\"in\":\"default\"}", Encoding.UTF8.GetString(Default.Get("k")!.Value));
        Assert.Equal("{\"in\":\"airline\"}", Encoding.UTF8.GetString(Default.Collection("inventory", "airline").Get("k")!.Value));
        Assert.Equal(KvStatus.Success, (await c.RequestAsync(Opcode.Delete, Key(airline, "k"), vBucket: Vb("k"))).Status);
        Assert.Equal(KvStatus.KeyNotFound, (await c.GetAsync(Key(airline, "k"), Vb("k"))).Status);
        Assert.NotNull(Default.Get("k"));
    }

    [Fact]
    public async Task A_connection_without_collections_reaches_only_the_default_collection()
    {
        CreateAirline();
        Default.Collection("inventory", "airline").Upsert("only-in-airline", "{}");
        Default.Upsert("in-default", Encoding.UTF8.GetBytes("{\"d\":1}"));
        await using var plain = await ToOwnerAsync("only-in-airline");
        Assert.Equal(KvStatus.KeyNotFound, (await plain.GetAsync("only-in-airline", Vb("only-in-airline"))).Status);
        await using var plain2 = await ToOwnerAsync("in-default");
        Assert.Equal("{\"d\":1}", Text((await plain2.GetAsync("in-default", Vb("in-default"))).Value));
    }

    [Fact]
    public async Task Getk_echoes_the_key_with_its_collection_id()
    {
        var airline = CreateAirline();
        Default.Collection("inventory", "airline").Upsert("k", "{}");
        await using var c = await ConnectAsync(Cluster.Nodes[Owner("k")].KvPort);
        var f = await c.RequestAsync(Opcode.GetK, Key(airline, "k"), vBucket: Vb("k"));
        Assert.Equal(Key(airline, "k"), f.Key.ToArray());
    }

    [Fact]
    public async Task An_id_not_in_the_manifest_is_an_unknown_collection_with_the_manifest_uid()
    {
        CreateAirline();
        await using var c = await ConnectAsync(Cluster.Nodes[Owner("k")].KvPort);
        var f = await c.SetAsync(Key(0x20, "k"), "{}", Vb("k"));
        Assert.Equal(KvStatus.UnknownCollection, f.Status);
        Assert.Equal(DataType.Json, f.DataType);
        Assert.Equal("3", JObject.Parse(Body(f)).Value<string>("manifest_uid"));
    }

    [Theory]
    [InlineData(new byte[] { 0x8a, 0x00 }, "Key contains non-canonical leb128")] // 10 in two bytes
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, "No stop-byte found")]
    [InlineData(new byte[] { 0x01 }, "Invalid collection-id:1")] // ids 1-7 are reserved
    public async Task A_bad_collection_prefix_is_invalid(byte[] prefix, string context)
    {
        CreateAirline();
        await using var c = await ConnectAsync(Cluster.Nodes[Owner("k")].KvPort);
        var f = await c.GetAsync(Key(prefix, "k"), Vb("k"));
        Assert.Equal(KvStatus.InvalidArguments, f.Status);
        Assert.Equal(context, JObject.Parse(Body(f))["error"]!.Value<string>("context"));
    }

    [Fact]
    public async Task A_key_that_is_only_a_collection_id_is_invalid()
    {
        var airline = CreateAirline();
        await using var c = await ConnectAsync(Cluster.Nodes[0].KvPort);
        Assert.Equal("Key length must be >= 2",
            JObject.Parse(Body(await c.GetAsync(new[] { (byte)airline }, 0)))["error"]!.Value<string>("context"));
    }

    [Fact]
    public async Task Two_byte_collection_ids_are_read_as_the_protocol_document_encodes_them()
    {
        Default.Collections.CreateScope("many");
        uint id = 0;
        for (var i = 0; id < 0x80; i++) id = Default.Collections.CreateCollection("many", "c" + i);
        Assert.Equal(0x80u, id);
        await using var c = await ConnectAsync(Cluster.Nodes[Owner("k")].KvPort);
        // docs/Collections.md: 0x80 is 0x80 0x01
        Assert.Equal(KvStatus.Success, (await c.SetAsync(Key(new byte[] { 0x80, 0x01 }, "k"), "{\"id\":128}", Vb("k"))).Status);
        Assert.Equal("{\"id\":128}", Encoding.UTF8.GetString(Default.Collection("many", "c118").Get("k")!.Value));
        Assert.Equal(KvStatus.InvalidArguments, (await c.GetAsync(new byte[] { 0x80, 0x01 }, Vb("k"))).Status); // no logical key
    }

    [Fact]
    public async Task A_collections_max_ttl_caps_the_expiry_of_new_documents()
    {
        Default.Collections.CreateScope("inventory");
        var id = Default.Collections.CreateCollection("inventory", "sessions", maxTtlSeconds: 60);
        await using var c = await ConnectAsync(Cluster.Nodes[Owner("s")].KvPort);
        Assert.Equal(KvStatus.Success, (await c.SetAsync(Key(id, "s"), "{}", Vb("s"))).Status);
        var stored = Default.Collection("inventory", "sessions").Get("s")!;
        Assert.Equal(Cluster.Clock.UtcNow.ToUnixTimeSeconds() + 60, stored.Expiry!.Value.ToUnixTimeSeconds());
        Cluster.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(KvStatus.KeyNotFound, (await c.GetAsync(Key(id, "s"), Vb("s"))).Status);
    }

    [Fact]
    public async Task The_command_log_shows_the_logical_key_and_its_collection_id()
    {
        var airline = CreateAirline();
        Cluster.Faults.CommandLog.Start();
        await using (var c = await ConnectAsync(Cluster.Nodes[Owner("k")].KvPort))
        {
            await c.GetAsync(Key(airline, "k"), Vb("k"));
            await c.GetAsync(Key(0, "k"), Vb("k"));
            await c.LookUpAsync(Opcode.GetCollectionId, "inventory.airline");
        }
        await using (var plain = await ToOwnerAsync("k")) await plain.GetAsync("k", Vb("k"));
        var gets = Cluster.Faults.CommandLog.Snapshot().Where(r => r.Opcode == Opcode.Get).Select(r => (r.Key, r.CollectionId)).ToList();
        Assert.Equal(new (string?, uint?)[] { ("k", airline), ("k", 0u), ("k", null) }, gets);
    }

    [Fact]
    public async Task Dropping_the_default_collection_leaves_plain_connections_an_unknown_collection()
    {
        Default.Upsert("k", Encoding.UTF8.GetBytes("{}"));
        Default.Collections.DropCollection("_default", "_default");
        await using var plain = await ToOwnerAsync("k");
        var f = await plain.GetAsync("k", Vb("k"));
        Assert.Equal(KvStatus.UnknownCollection, f.Status);
        Assert.Equal("2", JObject.Parse(Text(f.Value)).Value<string>("manifest_uid"));
    }
}
