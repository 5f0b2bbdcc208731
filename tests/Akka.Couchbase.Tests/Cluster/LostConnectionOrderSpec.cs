using Akka.Actor;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>
/// Per-key order across a lost connection: a read that was written goes again, and a mutation written after it on
/// the same key, whose reply was lost with the connection, is answered (ambiguous) only after that read, never
/// before it.
/// </summary>
public sealed class LostConnectionOrderSpec : EmbeddedClusterSpec
{
    public LostConnectionOrderSpec(ITestOutputHelper output) : base(output) { }

    [Fact]
    public async Task A_mutation_whose_reply_was_lost_is_answered_after_the_earlier_read_that_goes_again()
    {
        const string key = "lost-order";
        await Client.UpsertAsync(key, "before");
        var node = Bucket.ActiveNodeOf(Bucket.VBucketOf(key));
        Cluster.Faults.CommandLog.Start();
        Cluster.Faults.Hiccup(node, TimeSpan.FromSeconds(1)); // both are written, neither is answered
        var probe = CreateTestProbe();
        Couchbase.Supervisor.Tell(new Akka.Couchbase.Kv.Get(key) { CorrelationId = "read" }, probe.Ref);
        Couchbase.Supervisor.Tell(new Akka.Couchbase.Kv.Upsert(key, "after") { CorrelationId = "write" }, probe.Ref);
        await AwaitAssertAsync(() => Assert.Equal(2, Cluster.Faults.CommandLog.Snapshot().Count(c => c.Key == key)),
            TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10));
        Cluster.Faults.DropConnections(node);

        var first = await probe.ExpectMsgAsync<object>(TimeSpan.FromSeconds(10));
        var second = await probe.ExpectMsgAsync<object>(TimeSpan.FromSeconds(10));
        var read = Assert.IsType<GetResult>(first);
        Assert.Equal("read", read.CorrelationId);
        var failure = Assert.IsType<KvAmbiguousException>(Assert.IsType<Status.Failure>(second).Cause);
        Assert.Equal("write", failure.CorrelationId);
    }
}
