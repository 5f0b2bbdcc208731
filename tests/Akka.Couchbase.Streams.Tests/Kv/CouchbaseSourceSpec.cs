using System.Text;
using Akka.Couchbase.Streams.Dsl;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Streams.Tests.KvStages;

/// <summary><see cref="CouchbaseSource.GetMulti"/> over the real wire: the documents of many keys, in the keys' order.</summary>
public sealed class CouchbaseSourceSpec : KvStageSpec
{
    public CouchbaseSourceSpec(KvCluster kv, ITestOutputHelper output) : base(kv, output) { }

    [Fact]
    public async Task Get_multi_reads_every_key_in_order_with_misses_as_outcomes()
    {
        var keys = Enumerable.Range(0, 1000).Select(i => $"multi-{i}").ToList();
        foreach (var k in keys.Where((_, i) => i % 3 != 0)) Server.Bucket.Upsert(k, Encoding.UTF8.GetBytes($"\"{k}\""));

        var results = await RunToList(CouchbaseSource.GetMulti(keys, CouchbaseReadSettings.Default.WithParallelism(64)));

        Assert.Equal(keys, results.Select(r => r.PassThrough));
        Assert.Equal(keys, results.Select(r => r.Result!.Key));
        for (var i = 0; i < keys.Count; i++)
        {
            if (i % 3 == 0) Assert.Equal(KvOutcome.NotFound, results[i].Outcome);
            else Assert.Equal(keys[i], results[i].Result!.ContentAs<string>());
        }
    }

    [Fact]
    public async Task Get_multi_reads_from_the_collection_its_settings_name()
    {
        Server.Bucket.Collection("shop", "orders").Upsert("multi-order", "{\"total\":12}");
        var results = await RunToList(CouchbaseSource.GetMulti(new[] { "multi-order" },
            CouchbaseReadSettings.Default.WithCollection("shop", "orders")));
        Assert.Equal(12, (int)Assert.Single(results).Result!.ContentAs<Newtonsoft.Json.Linq.JObject>()["total"]!);
    }
}
