using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Tests.Support;
using Xunit;
using static Akka.Couchbase.TestKit.Tests.Collections.CollectionFrames;

namespace Akka.Couchbase.TestKit.Tests.SubDocument;

/// <summary>Sub-document commands on a collection: the key carries the collection id, and each collection keeps its own documents, xattrs and tombstones.</summary>
public sealed class SubDocCollectionTests : ClusterTestBase
{
    [Fact]
    public async Task Lookups_mutations_and_tombstones_stay_in_their_collection()
    {
        Default.Collections.CreateScope("inventory");
        var airline = Default.Collections.CreateCollection("inventory", "airline");
        await using var c = await ConnectAsync(Cluster.Nodes[Owner("k")].KvPort, "default", HelloFeature.Xattr);
        var vb = Vb("k");
        await c.SetAsync(Key(0, "k"), """{"in":"default"}""", vb);
        await c.SetAsync(Key(airline, "k"), """{"in":"airline"}""", vb);
        var specs = SubDocClient.MutationBody(new Spec[]
        {
            new(SubDoc.DictUpsert, "_txn", "1", SubDoc.Xattr), new(SubDoc.DictUpsert, "n", "2"),
        });
        Assert.Equal(KvStatus.Success, (await c.RequestAsync((Opcode)SubDoc.MultiMutation, Key(airline, "k"), value: specs, vBucket: vb)).Status);
        Assert.Equal("""{"in":"airline","n":2}""", Encoding.UTF8.GetString(Default.Collection("inventory", "airline").Get("k")!.Value));
        Assert.Equal("""{"in":"default"}""", Encoding.UTF8.GetString(Default.Get("k")!.Value));
        var get = await c.RequestAsync((Opcode)SubDoc.Get, Key(0, "k"), new byte[] { 0, 4, SubDoc.Xattr }, Encoding.UTF8.GetBytes("_txn"), vb);
        Assert.Equal(SubDoc.PathNotFound, get.Status); // the default collection's document has no xattrs
        Assert.Equal(KvStatus.Success, (await c.RequestAsync(Opcode.Delete, Key(airline, "k"), vBucket: vb)).Status);
        Assert.Equal(KvStatus.Success, (await c.RequestAsync(Opcode.Delete, Key(0, "k"), vBucket: vb)).Status);
        var accessDeleted = new byte[] { 0, 4, SubDoc.Xattr, SubDoc.AccessDeleted };
        var tomb = await c.RequestAsync((Opcode)SubDoc.Get, Key(airline, "k"), accessDeleted, Encoding.UTF8.GetBytes("_txn"), vb);
        Assert.Equal(SubDoc.SuccessDeleted, tomb.Status);
        Assert.Equal("1", Encoding.UTF8.GetString(tomb.Value));
        Assert.Equal(KvStatus.KeyNotFound, (await c.RequestAsync((Opcode)SubDoc.Get, Key(0, "k"), accessDeleted, Encoding.UTF8.GetBytes("_txn"), vb)).Status);
    }
}
