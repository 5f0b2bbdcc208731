using System.Text;
using Akka.Actor;
using Akka.Couchbase.Actors;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using Akka.Couchbase.Pipeline;

namespace Akka.Couchbase.Tests.Throughput;

/// <summary>
/// Requests are reused once answered from the server, and only then: a reused request starts clean, holds no
/// reference to its previous caller or value, and a request that timed out (whose late reply may still come) is
/// never reused, so a late reply can never answer someone else's command.
/// </summary>
public sealed class RequestReuseSpec : EmbeddedClusterSpec
{
    public RequestReuseSpec(ITestOutputHelper output) : base(output)
    {
    }

    [Fact]
    public void A_reused_request_starts_clean_and_keeps_nothing_of_its_previous_command()
    {
        var pool = new KvRequestPool(capacity: 4);
        var first = pool.Rent(new Kv.Upsert("a", "v") { CorrelationId = 1 }, "a", Opcode.Set, TimeSpan.FromSeconds(1),
            ReplyTarget.Actor(TestActor));
        first.Value = new Akka.Couchbase.Transcoding.EncodedValue(new byte[] { 1, 2, 3 }, 0, DataType.Raw);
        first.Cas = 42;
        first.Quiet = true;
        first.Attempts = 3;
        first.AddRetryReason("KV_NOT_MY_VBUCKET");
        first.NodeName = "node";
        first.State = RequestState.Written;
        Assert.True(first.Complete("reply"));
        first.Recycle();
        Assert.Equal(1, pool.Count);

        var second = pool.Rent(new Kv.Get("b"), "b", Opcode.Get, TimeSpan.FromSeconds(2), default);
        Assert.Same(first, second);
        Assert.Equal(0, pool.Count);
        Assert.Equal("b", second.Key);
        Assert.Equal(Opcode.Get, second.Opcode);
        Assert.Equal("b"u8.ToArray(), second.KeyBytes.ToArray());
        Assert.Null(second.ReplyTo.ReplyActor);
        Assert.Null(second.Sink);
        Assert.True(second.Value.Bytes.IsEmpty);
        Assert.Equal(0UL, second.Cas);
        Assert.False(second.Quiet);
        Assert.Equal(0, second.Attempts);
        Assert.Null(second.RetryReasons);
        Assert.Null(second.NodeName);
        Assert.Equal(RequestState.Queued, second.State);
        Assert.False(second.IsCompleted);
        Assert.Equal(TimeSpan.FromSeconds(2), second.Timeout);
    }

    [Fact]
    public void Only_answered_requests_go_back_and_the_pool_stays_within_its_capacity()
    {
        var pool = new KvRequestPool(capacity: 2);
        var unanswered = pool.Rent(new Kv.Get("k"), "k", Opcode.Get, TimeSpan.FromSeconds(1), default);
        unanswered.Recycle();
        Assert.Equal(0, pool.Count);

        var answered = Enumerable.Range(0, 5)
            .Select(i => pool.Rent(new Kv.Get($"k{i}"), $"k{i}", Opcode.Get, TimeSpan.FromSeconds(1), default))
            .ToList();
        foreach (var r in answered)
        {
            r.Complete("reply");
            r.Recycle();
        }
        Assert.Equal(2, pool.Count);
        Assert.All(answered, r => Assert.Null(r.Command)); // every answered request let go of its command
    }

    [Fact]
    public async Task Late_replies_to_timed_out_commands_never_answer_the_commands_sent_after_them()
    {
        const int timedOut = 200, after = 400;
        var values = new Dictionary<string, string>();
        for (var i = 0; i < after; i++)
        {
            values[$"reuse-{i}"] = $"value-{i}";
            await Client.UpsertAsync($"reuse-{i}", $"value-{i}");
        }

        // (The waits are asynchronous: a test thread blocked in ExpectMsg starves this 2-core machine's thread pool,
        // which delays the client's deadline checks along with everything else.)
        // Every node stalls its replies: the first commands time out, their replies come late, after the others
        // were sent (with a long deadline) on the same connections.
        // (3 s: far past the 100 ms deadlines, so that a loaded machine's late deadline sweep still comes first.)
        for (var node = 0; node < Cluster.Nodes.Count; node++) Cluster.Faults.Hiccup(node, TimeSpan.FromSeconds(3));
        for (var i = 0; i < timedOut; i++)
            Couchbase.Supervisor.Tell(new Kv.Get($"reuse-{i}") { CorrelationId = -1 - i, Timeout = TimeSpan.FromMilliseconds(100) }, TestActor);
        var timeouts = new HashSet<int>();
        for (var n = 0; n < timedOut; n++)
        {
            var failure = await ExpectMsgAsync<Status.Failure>(TimeSpan.FromSeconds(5));
            var e = Assert.IsType<KvTimeoutException>(failure.Cause);
            Assert.True(timeouts.Add((int)e.CorrelationId!), $"two replies for command {e.CorrelationId}");
        }
        for (var i = 0; i < after; i++)
            Couchbase.Supervisor.Tell(new Kv.Get($"reuse-{i}") { CorrelationId = i, Timeout = TimeSpan.FromSeconds(10) }, TestActor);

        var answered = new HashSet<int>();
        for (var n = 0; n < after; n++)
        {
            var result = await ExpectMsgAsync<GetResult>(TimeSpan.FromSeconds(10));
            var id = (int)result.CorrelationId!;
            Assert.True(answered.Add(id), $"two replies for command {id}");
            Assert.Equal($"reuse-{id}", result.Key);
            Assert.Equal(values[result.Key], result.ContentAs<string>());
        }
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
    }
}
