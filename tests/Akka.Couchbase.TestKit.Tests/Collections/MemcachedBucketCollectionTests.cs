using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Cluster;
using Akka.Couchbase.TestKit.Tests.Support;
using Xunit;
using static Akka.Couchbase.TestKit.Tests.Collections.CollectionFrames;

namespace Akka.Couchbase.TestKit.Tests.Collections;

/// <summary>A memcached bucket has only the default collection: collection lookups are not supported there.</summary>
public sealed class MemcachedBucketCollectionTests : ClusterTestBase
{
    protected override InProcessClusterOptions Options()
    {
        var o = base.Options();
        o.Nodes = 1;
        o.Buckets.Add(new BucketDefinition("cache", BucketType.Memcached));
        return o;
    }

    [Fact]
    public async Task Lookups_are_not_supported_and_the_default_collection_works()
    {
        await using var c = await ConnectAsync(Cluster.Nodes[0].KvPort, "cache");
        Assert.Equal(KvStatus.NotSupported, (await c.LookUpAsync(Opcode.GetCollectionId, ".")).Status);
        Assert.Equal(KvStatus.NotSupported, (await c.RequestAsync(Opcode.GetCollectionsManifest, Array.Empty<byte>())).Status);
        Assert.Equal(KvStatus.Success, (await c.SetAsync(Key(0, "k"), "{\"v\":1}", 0)).Status);
        Assert.Equal("{\"v\":1}", Body(await c.GetAsync(Key(0, "k"), 0)));
        Assert.Equal(KvStatus.UnknownCollection, (await c.GetAsync(Key(10, "k"), 0)).Status);
        Assert.Throws<CollectionManifestException>(() => Cluster.Bucket("cache").Collections.CreateScope("inventory"));
    }
}
