using Akka.Couchbase.TestKit;
using Akka.Couchbase.TestKit.Cluster;
using Xunit;

namespace Akka.Couchbase.Streams.Tests.KvStages;

/// <summary>
/// A 2-node in-process cluster (bucket <c>default</c>, 64 vBuckets, 1 replica, a named collection
/// <c>shop.orders</c>) shared by the KV stage specs. They run one after another (one collection), so a spec may
/// read the cluster's command log; each uses keys of its own.
/// </summary>
public sealed class KvCluster : IAsyncLifetime
{
    public InProcessCluster Cluster { get; private set; } = null!;

    public InProcessBucket Bucket => Cluster.Bucket("default");

    public async Task InitializeAsync()
    {
        Cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions
        {
            Nodes = 2,
            Buckets = { new BucketDefinition("default", BucketType.Couchbase, VBuckets: 64, Replicas: 1) },
            Users = { ["app"] = "s3cret" },
        });
        Bucket.Collections.CreateScope("shop");
        Bucket.Collections.CreateCollection("shop", "orders");
    }

    /// <summary>The client's HOCON: both nodes as seeds, the bucket and credentials.</summary>
    public string Hocon(string extra = "") =>
        "akka.couchbase { " +
        $"servers = [{string.Join(",", Cluster.Nodes.Select(n => $"\"127.0.0.1:{n.KvPort}\""))}], " +
        $"http-bootstrap.servers = [{string.Join(",", Cluster.Nodes.Select(n => $"\"127.0.0.1:{n.MgmtPort}\""))}], " +
        "bucket = default, username = app, password = s3cret }\n" + extra;

    /// <summary>The node holding the active copy of <paramref name="key"/>.</summary>
    public int NodeOf(string key) => Bucket.ActiveNodeOf(Bucket.VBucketOf(key));

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class KvClusterCollection : ICollectionFixture<KvCluster>
{
    public const string Name = "KV stages on the in-process cluster";
}
