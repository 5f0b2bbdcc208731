using Akka.Actor;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>
/// Per-key order across a lost connection. A written read goes again, unless a mutation of its key was written
/// after it: sent again, the server would run it after that mutation, so it is answered as ambiguous instead, before
/// the mutation's own ambiguous answer. Reads of other keys still go again and succeed.
/// </summary>
public sealed class LostConnectionOrderSpec : EmbeddedClusterSpec
{
    public LostConnectionOrderSpec(ITestOutputHelper output) : base(output) { }

    /// <summary>
    /// Sends the commands with the server swallowing each of them once (written, never answered), waits until it has
    /// them all, then cuts the connections of their node: what goes again is answered the second time.
    /// </summary>
    private async Task<Akka.TestKit.TestProbe> LoseTheirReplies(string nodeKey, params Akka.Couchbase.Kv.KeyCommand[] commands)
    {
        var node = Bucket.ActiveNodeOf(Bucket.VBucketOf(nodeKey));
        Cluster.Faults.CommandLog.Start();
        foreach (var group in commands.GroupBy(c => c.Key))
            Cluster.Faults.Swallow(keyPattern: "^" + System.Text.RegularExpressions.Regex.Escape(group.Key) + "$", count: group.Count());
        var probe = CreateTestProbe();
        foreach (var command in commands) Couchbase.Supervisor.Tell(command, probe.Ref);
        await AwaitAssertAsync(() => Assert.Equal(commands.Length, Cluster.Faults.CommandLog.Snapshot().Count(c => c.Key is not null)),
            TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10));
        Cluster.Faults.DropConnections(node);
        return probe;
    }

    [Fact]
    public async Task A_read_lost_with_a_later_mutation_of_its_key_is_answered_first_and_not_run_past_it()
    {
        const string key = "lost-order";
        await Client.UpsertAsync(key, "before");
        var probe = await LoseTheirReplies(key,
            new Akka.Couchbase.Kv.Get(key) { CorrelationId = "read" },
            new Akka.Couchbase.Kv.Upsert(key, "after") { CorrelationId = "write" });

        var read = Assert.IsType<KvAmbiguousException>((await probe.ExpectMsgAsync<Status.Failure>(TimeSpan.FromSeconds(10))).Cause);
        Assert.Equal("read", read.CorrelationId);
        Assert.Contains("later mutation", read.Message);
        var write = Assert.IsType<KvAmbiguousException>((await probe.ExpectMsgAsync<Status.Failure>(TimeSpan.FromSeconds(10))).Cause);
        Assert.Equal("write", write.CorrelationId);
        Assert.Single(Cluster.Faults.CommandLog.Snapshot(), c => c.Key == key && c.Opcode == Akka.Couchbase.Protocol.Opcode.Get);
    }

    [Fact]
    public async Task A_read_lost_beside_a_mutation_of_another_key_goes_again_and_succeeds()
    {
        // Two keys of the same node.
        var readKey = "lost-read";
        var node = Bucket.ActiveNodeOf(Bucket.VBucketOf(readKey));
        var writeKey = Enumerable.Range(0, 1000).Select(i => $"lost-write-{i}").First(k => Bucket.ActiveNodeOf(Bucket.VBucketOf(k)) == node);
        await Client.UpsertAsync(readKey, "stored");
        var probe = await LoseTheirReplies(readKey,
            new Akka.Couchbase.Kv.Get(readKey) { CorrelationId = "read" },
            new Akka.Couchbase.Kv.Upsert(writeKey, "after") { CorrelationId = "write" });

        var replies = new[] { await probe.ExpectMsgAsync<object>(TimeSpan.FromSeconds(10)), await probe.ExpectMsgAsync<object>(TimeSpan.FromSeconds(10)) };
        var shown = string.Join("; ", replies.Select(r => r is Status.Failure f ? f.Cause.ToString() : r.ToString()));
        var reads = replies.OfType<GetResult>().ToList();
        Assert.True(reads.Count == 1, shown);
        var read = reads[0];
        Assert.Equal("stored", read.ContentAs<string>());
        var write = Assert.IsType<KvAmbiguousException>(Assert.Single(replies.OfType<Status.Failure>()).Cause);
        Assert.Equal("write", write.CorrelationId);
    }
}
