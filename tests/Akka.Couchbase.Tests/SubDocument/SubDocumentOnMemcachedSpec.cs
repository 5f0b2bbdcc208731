using System.Diagnostics;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.SubDocument;

/// <summary>
/// Memcached buckets have no sub-document commands: lookup-in and mutate-in fail at once, naming why, and nothing is
/// sent (the client points at a port where nobody listens, so anything that reached a connection would wait instead).
/// </summary>
public sealed class SubDocumentOnMemcachedSpec : ClientSpec
{
    public SubDocumentOnMemcachedSpec(ITestOutputHelper output)
        : base(MemcachedHocon($"127.0.0.1:{FreePort.Next()}") + "operation-timeout = 10s\n", output)
    {
    }

    [Fact]
    public async Task Lookup_in_and_mutate_in_are_refused_at_once()
    {
        var watch = Stopwatch.StartNew();

        var lookup = await Assert.ThrowsAsync<KvInvalidArgumentException>(() => Client.LookupInAsync("doc", s => s.Get("a")));
        var mutate = await Assert.ThrowsAsync<KvInvalidArgumentException>(() =>
            Client.MutateInAsync("doc", s => s.Upsert("a", 1), new MutateInOptions { CorrelationId = 9 }));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}: it waited instead of failing at once");
        Assert.Contains("memcached buckets have no sub-document commands", lookup.Message);
        Assert.Contains("MutateIn of key 'doc' refused", mutate.Message);
        Assert.Equal(9, mutate.CorrelationId);
    }
}
