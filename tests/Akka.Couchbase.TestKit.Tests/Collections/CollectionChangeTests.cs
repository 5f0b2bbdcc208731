using System.Buffers.Binary;
using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Cluster;
using Akka.Couchbase.TestKit.Tests.Support;
using Newtonsoft.Json.Linq;
using Xunit;
using static Akka.Couchbase.TestKit.Tests.Collections.CollectionFrames;

namespace Akka.Couchbase.TestKit.Tests.Collections;

/// <summary>
/// Collections changing while clients use them: a drop under traffic, the map push that announces a new manifest, and
/// the two faults for client tests (an UNKNOWN_COLLECTION answered N times, a collection re-created under a new id).
/// </summary>
public sealed class CollectionChangeTests : ClusterTestBase
{
    private uint CreateAirline()
    {
        Default.Collections.CreateScope("inventory");
        return Default.Collections.CreateCollection("inventory", "airline");
    }

    private List<string> KeysOn(int node, int count) =>
        Enumerable.Range(0, 10_000).Select(i => "traffic::" + i).Where(k => Owner(k) == node).Take(count).ToList();

    [Fact]
    public async Task A_collection_dropped_under_traffic_answers_unknown_collection_from_then_on_and_loses_its_documents()
    {
        var id = CreateAirline();
        var keys = KeysOn(0, 20);
        await using var c = await ConnectAsync(Cluster.Nodes[0].KvPort);
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int before = 500, after = 500;
        byte[] SetFrame(int i) => FrameWriter.Request(Opcode.Set, (uint)i, RawKvClient.Extras(0x02000000, 0),
            Key(id, keys[i % keys.Count]), Encoding.UTF8.GetBytes("{\"i\":" + i + "}"), (ushort)Vb(keys[i % keys.Count]), 0, DataType.Json);
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < before; i++) await c.SendAsync(SetFrame(i));
            await dropped.Task;
            for (var i = before; i < before + after; i++) await c.SendAsync(SetFrame(i));
        });
        var statuses = new List<KvStatus>();
        while (statuses.Count < before + after)
        {
            var f = await c.ReadAsync() ?? throw new IOException("closed");
            Assert.Equal((uint)statuses.Count, f.Opaque); // answered in order
            statuses.Add(f.Status);
            if (statuses.Count == 50)
            {
                Assert.Equal(keys.Count, Default.Collection("inventory", "airline").Count);
                Default.Collections.DropCollection("inventory", "airline");
                dropped.SetResult();
            }
        }
        await writer;
        var succeeded = statuses.TakeWhile(s => s == KvStatus.Success).Count();
        Assert.InRange(succeeded, 50, before);
        Assert.All(statuses.Skip(succeeded), s => Assert.Equal(KvStatus.UnknownCollection, s));
        // created again it is a new, empty collection; the old id stays unknown
        var again = Default.Collections.CreateCollection("inventory", "airline");
        Assert.NotEqual(id, again);
        Assert.Equal(0, Default.Collection("inventory", "airline").Count);
        Assert.Equal(KvStatus.UnknownCollection, (await c.GetAsync(Key(id, keys[0]), Vb(keys[0]))).Status);
        Assert.Equal(KvStatus.KeyNotFound, (await c.GetAsync(Key(again, keys[0]), Vb(keys[0]))).Status);
    }

    [Fact]
    public async Task A_manifest_change_makes_a_new_map_that_names_the_manifest_uid_and_is_pushed()
    {
        await using var c = await ConnectAsync(Cluster.Nodes[0].KvPort, "default", HelloFeature.Duplex, HelloFeature.ClustermapChangeNotification);
        var first = JObject.Parse(Encoding.UTF8.GetString((await c.CallAsync(Opcode.GetClusterConfig)).Value));
        Assert.Equal("1", first.Value<string>("collectionsManifestUid"));
        Assert.Contains("collections", first["bucketCapabilities"]!.Values<string>());
        var revision = Cluster.Revision;
        Default.Collections.CreateScope("inventory");
        var push = await c.ReadAsync();
        Assert.Equal(Magic.ServerRequest, push!.Magic);
        Assert.Equal(0x01, (int)push.Opcode);
        Assert.Equal(revision + 1, BinaryPrimitives.ReadInt64BigEndian(push.Extras.Slice(8)));
        Assert.Equal("2", JObject.Parse(Encoding.UTF8.GetString(push.Value)).Value<string>("collectionsManifestUid"));
    }

    [Fact]
    public async Task The_unknown_collection_fault_answers_n_commands_then_the_collection_works_again()
    {
        var id = CreateAirline();
        Default.Collection("inventory", "airline").Upsert("k", "{\"ok\":true}");
        Cluster.Faults.AnswerUnknownCollection("default", "inventory", "airline", count: 2);
        await using var c = await ConnectAsync(Cluster.Nodes[Owner("k")].KvPort);
        var first = await c.GetAsync(Key(id, "k"), Vb("k"));
        Assert.Equal(KvStatus.UnknownCollection, first.Status);
        Assert.Equal("3", JObject.Parse(Body(first)).Value<string>("manifest_uid"));
        // the id lookup is not affected: the collection is there
        Assert.Equal((3UL, id), Ids(await c.LookUpAsync(Opcode.GetCollectionId, "inventory.airline")));
        Assert.Equal(KvStatus.UnknownCollection, (await c.GetAsync(Key(id, "k"), Vb("k"))).Status);
        Assert.Equal("{\"ok\":true}", Body(await c.GetAsync(Key(id, "k"), Vb("k"))));
        // and the default collection never was
        Cluster.Faults.AnswerUnknownCollection("default", "inventory", "airline", count: 1);
        Assert.Equal(KvStatus.KeyNotFound, (await c.GetAsync(Key(0, "k"), Vb("k"))).Status);
        Cluster.Faults.Reset();
        Assert.Equal(KvStatus.Success, (await c.GetAsync(Key(id, "k"), Vb("k"))).Status);
    }

    [Fact]
    public async Task Recreating_a_collection_gives_it_a_new_id_and_the_old_one_is_unknown()
    {
        var id = CreateAirline();
        Default.Collections.DropCollection("inventory", "airline");
        Default.Collections.CreateCollection("inventory", "airline", maxTtlSeconds: 30);
        var withTtl = Default.Collections.IdOf("inventory", "airline")!.Value;
        Default.Collection("inventory", "airline").Upsert("k", "{}");
        var uid = Default.Collections.ManifestUid;
        var renewed = Cluster.Faults.RecreateCollection("default", "inventory", "airline");
        Assert.True(renewed > withTtl && withTtl > id);
        Assert.Equal(uid + 2, Default.Collections.ManifestUid);
        Assert.Null(Default.Collection("inventory", "airline").Get("k"));
        await using var c = await ConnectAsync(Cluster.Nodes[Owner("k")].KvPort);
        Assert.Equal(KvStatus.UnknownCollection, (await c.SetAsync(Key(withTtl, "k"), "{}", Vb("k"))).Status);
        Assert.Equal((uid + 2, renewed), Ids(await c.LookUpAsync(Opcode.GetCollectionId, "inventory.airline")));
        Assert.Equal(KvStatus.Success, (await c.SetAsync(Key(renewed, "k"), "{}", Vb("k"))).Status);
        Assert.NotNull(Default.Collection("inventory", "airline").Get("k")!.Expiry); // the maxTTL was kept
        Assert.Throws<CollectionManifestException>(() => Cluster.Faults.RecreateCollection("default", "_default", "_default"));
        Assert.NotNull(Default.Collections.IdOf("_default", "_default"));
    }
}
