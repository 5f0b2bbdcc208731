using Akka.Couchbase.Protocol;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Throughput;

/// <summary>
/// Cancelling the token of a task cancels the task at once, while its command waits for the server; the command's
/// reply, when it comes, is dropped, and the connection goes on answering the commands sent after it.
/// </summary>
public sealed class TaskCancellationSpec : EmbeddedClusterSpec
{
    public TaskCancellationSpec(ITestOutputHelper output) : base(output) { }

    private IReadOnlyList<Akka.Couchbase.TestKit.Faults.KvCommandRecord> GetsOf(string key) =>
        Cluster.Faults.CommandLog.Snapshot().Where(c => c.Key == key && c.Opcode == Opcode.Get).ToList();

    [Fact]
    public async Task Cancelling_a_task_cancels_it_and_the_reply_is_ignored()
    {
        const string key = "cancel";
        await Client.UpsertAsync(key, "stored");
        var node = Bucket.ActiveNodeOf(Bucket.VBucketOf(key));
        Cluster.Faults.CommandLog.Start();
        // The node holds every reply until the hiccup is lifted: the reply cannot come before the cancellation.
        Cluster.Faults.Hiccup(node, TimeSpan.FromMinutes(5));

        using var cts = new CancellationTokenSource();
        var task = Client.GetAsync(key, cts.Token);
        await AwaitAssertAsync(() => Assert.Single(GetsOf(key)), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(10));
        Assert.False(task.IsCompleted, "the reply came through the hiccup");
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(task.IsCanceled, $"the task ended {task.Status}");

        // Once the hiccup is lifted the node writes the held reply, and only then reads and answers a Get sent after
        // it on the same connection: that one gets its own value, and the cancelled task stays cancelled.
        var after = Client.GetAsync(key);
        Cluster.Faults.Hiccup(node, TimeSpan.Zero);
        var result = await after;
        Assert.Equal(KvOutcome.Success, result.Outcome);
        Assert.Equal("stored", result.ContentAs<string>());
        Assert.True(task.IsCanceled);
        var gets = GetsOf(key);
        Assert.Equal(2, gets.Count);
        Assert.Equal(gets[0].Connection, gets[1].Connection);
        Assert.Equal(KvOutcome.Success, (await Client.UpsertAsync(key, "still answering")).Outcome);
    }
}
