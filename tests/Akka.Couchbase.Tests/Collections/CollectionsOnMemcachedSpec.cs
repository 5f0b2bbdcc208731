using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Collections;

/// <summary>
/// Stock memcached knows no collections: the default collection works as ever, a named one fails before the wire
/// saying so, on the Task path and on the message path, and the connection goes on serving.
/// </summary>
public sealed class CollectionsOnMemcachedSpec : ClientSpec, IClassFixture<MemcachedFixture>
{
    public CollectionsOnMemcachedSpec(MemcachedFixture server, ITestOutputHelper output)
        : base(MemcachedHocon(server.Memcached.Address), output)
    {
    }

    [Fact]
    public async Task A_named_collection_fails_clearly_and_the_default_one_works()
    {
        var e = await Assert.ThrowsAsync<KvInvalidArgumentException>(() =>
            Client.Collection("inventory", "airline").UpsertAsync("k", "v"));
        Assert.Contains("collection inventory.airline named, but memcached buckets have only _default._default", e.Message);

        var probe = CreateTestProbe();
        Couchbase.Supervisor.Tell(new Kv.Get("k") { Scope = "inventory", Collection = "airline", CorrelationId = 7 }, probe.Ref);
        var failure = await probe.ExpectMsgAsync<Akka.Actor.Status.Failure>();
        Assert.IsType<KvInvalidArgumentException>(failure.Cause);
        Assert.Equal(7, ((CouchbaseException)failure.Cause).CorrelationId);

        var key = $"default-{Guid.NewGuid():N}";
        Assert.Equal(KvOutcome.Success, (await Client.DefaultCollection.UpsertAsync(key, "v")).Outcome);
        Assert.Equal("v", await Client.Collection("_default", "_default").GetAsync<string>(key));
    }
}
