using Akka.Couchbase.TestKit;
using Akka.Couchbase.TestKit.Data;
using Xunit;

namespace Akka.Couchbase.Streams.Tests;

/// <summary>
/// A 2-node in-process cluster with Couchbase's beer-sample bucket loaded from ../shared/data (read in place), and a
/// bucket <c>big</c> whose view is far larger than socket buffers.
/// </summary>
public sealed class BeerSampleCluster : IAsyncLifetime
{
    public InProcessCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await BeerSample.StartClusterAsync(BeerSample.LocateZip(), new InProcessClusterOptions
        {
            Nodes = 2,
            Buckets =
            {
                new BucketDefinition(BeerSample.BucketName, BucketType.Couchbase, VBuckets: 64, Replicas: 1),
                new BucketDefinition("big", BucketType.Couchbase, VBuckets: 64, Replicas: 0),
            },
            Users = { ["reader"] = "beer-pass" },
        });

        // A view far larger than socket buffers (20,000 rows of ~2 KiB), to see backpressure reach the server.
        var big = Cluster.Bucket("big");
        var pad = new string('x', 2048);
        for (var i = 0; i < BigRows; i++)
            big.Upsert($"doc{i:D6}", System.Text.Encoding.UTF8.GetBytes($"{{\"pad\":\"{pad}\"}}"));
        Cluster.DesignDocuments.Put("big", "big",
            "{\"views\":{\"all\":{\"map\":\"function (doc, meta) { emit(meta.id, doc.pad); }\"}}}");
    }

    public const int BigRows = 20_000;

    public string Hocon(string bucket = BeerSample.BucketName) =>
        $"akka.couchbase {{ servers = [{string.Join(",", Cluster.Nodes.Select(n => $"\"127.0.0.1:{n.KvPort}\""))}], " +
        $"bucket = \"{bucket}\", username = reader, password = beer-pass }}";

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
