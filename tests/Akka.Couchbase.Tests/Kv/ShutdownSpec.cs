using Akka.Actor;
using Akka.Configuration;
using Akka.Couchbase.TestKit;
using Akka.Couchbase.TestKit.Cluster;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>
/// The client answers every command it ever accepted, before, during and after shutdown: commands still in its
/// mailboxes, written and unanswered, held before the first cluster map, or sent after the actor system terminated
/// all end with one reply. Unwritten commands and reads fail with <see cref="KvClientStoppedException"/>; a mutation
/// that was written when the client stopped is <see cref="KvAmbiguousException"/> (it may have been applied).
/// </summary>
public sealed class ShutdownSpec : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private InProcessCluster _cluster = null!;

    public ShutdownSpec(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync() =>
        _cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions
        {
            Nodes = 1,
            Buckets = { new BucketDefinition("default", BucketType.Couchbase, VBuckets: 64, Replicas: 0) },
            Users = { ["app"] = "s3cret" },
        });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static ActorSystem NewSystem(string servers, string extraHocon = "") => ActorSystem.Create("shutdown", ConfigurationFactory.ParseString(
        $"akka.couchbase {{ servers = [{servers}]\nbucket = default\nusername = app\npassword = s3cret\n" +
        $"operation-timeout = 30s\nreconnect-min-backoff = 50ms\nreconnect-max-backoff = 200ms\n{extraHocon} }}\nakka.loglevel = WARNING"));

    private ActorSystem NewSystem(string extraHocon = "") => NewSystem($"\"127.0.0.1:{_cluster.Nodes[0].KvPort}\"", extraHocon);

    /// <summary>Waits for every task (the operation timeout is 30 s, so a task that completes came from the shutdown).</summary>
    private static async Task AllComplete(IReadOnlyList<Task> tasks, TimeSpan within)
    {
        try { await Task.WhenAll(tasks).WaitAsync(within); }
        catch (CouchbaseException) { /* inspected below */ }
        catch (TimeoutException) { /* inspected below */ }
        var pending = tasks.Count(t => !t.IsCompleted);
        Assert.True(pending == 0, $"{pending} of {tasks.Count} tasks never completed");
    }

    private static Exception? Failure(Task task) => task.IsFaulted ? task.Exception!.InnerException : null;

    [Fact]
    public async Task Commands_still_in_the_mailboxes_when_the_system_terminates_are_all_answered()
    {
        // One request in flight per node, and the node swallows these keys: the first command (a read) is written
        // and never answered, and every later one waits unwritten, in a mailbox or the connection's queue. So none
        // can succeed or be ambiguous before the system terminates: each is a read or an unsent mutation.
        var system = NewSystem("max-in-flight-per-node = 1");
        var client = CouchbaseExtension.Get(system).Client;
        await client.ConnectAsync(TimeSpan.FromSeconds(10));
        using var swallow = _cluster.Faults.Swallow(keyPattern: "^mailbox-", count: -1);

        var tasks = new List<Task>();
        for (var i = 0; i < 1000; i++)
            tasks.Add(i % 2 == 0 ? client.GetAsync($"mailbox-{i % 50}") : client.UpsertAsync($"mailbox-{i % 50}", i));
        await system.Terminate();

        await AllComplete(tasks, TimeSpan.FromSeconds(10));
        Assert.All(tasks, t => Assert.IsType<KvClientStoppedException>(Failure(t)));
    }

    [Fact]
    public async Task Written_commands_without_replies_end_as_stopped_reads_and_ambiguous_mutations()
    {
        var system = NewSystem();
        var client = CouchbaseExtension.Get(system).Client;
        await client.ConnectAsync(TimeSpan.FromSeconds(10));
        _cluster.Faults.CommandLog.Start();
        using var swallow = _cluster.Faults.Swallow(keyPattern: "^held-", count: -1);

        var reads = Enumerable.Range(0, 50).Select(i => (Task)client.GetAsync($"held-r{i}")).ToList();
        var writes = Enumerable.Range(0, 50).Select(i => (Task)client.UpsertAsync($"held-w{i}", i)).ToList();
        await WhenServerHasSeen(100, "held-");
        await system.Terminate();

        await AllComplete(reads.Concat(writes).ToList(), TimeSpan.FromSeconds(10));
        Assert.All(reads, t => Assert.IsType<KvClientStoppedException>(Failure(t)));
        Assert.All(writes, t => Assert.IsType<KvAmbiguousException>(Failure(t)));
        Assert.Contains("stopped", Failure(writes[0])!.Message);
    }

    [Fact]
    public async Task Commands_held_before_the_first_cluster_map_are_answered_when_the_system_terminates()
    {
        // A server that accepts and never answers: the client's HELLO goes unanswered, and the commands wait in the
        // supervisor's backlog for a map that never comes. Holding the port (rather than naming a free one) keeps
        // any other test's server from taking it meanwhile.
        using var silent = new MisbehavingServer(MisbehavingServer.Mode.AcceptThenSilence);
        var system = NewSystem($"\"{silent.Address}\"");
        var client = CouchbaseExtension.Get(system).Client;
        var connect = client.ConnectAsync(TimeSpan.FromSeconds(30));
        var tasks = Enumerable.Range(0, 100).Select(i => (Task)client.UpsertAsync($"backlog-{i}", i)).Append(connect).ToList();
        var diagnostics = await client.DiagnosticsAsync();
        Assert.True(diagnostics.Backlog > 0, "the commands should wait in the backlog");

        await system.Terminate();
        await AllComplete(tasks, TimeSpan.FromSeconds(10));
        Assert.All(tasks, t => Assert.IsType<KvClientStoppedException>(Failure(t)));
    }

    [Fact]
    public async Task A_command_after_termination_fails_at_once_for_tasks_and_for_tells()
    {
        var system = NewSystem();
        var couchbase = CouchbaseExtension.Get(system);
        await couchbase.Client.ConnectAsync(TimeSpan.FromSeconds(10));
        await system.Terminate();

        var task = couchbase.Client.GetAsync("after");
        Assert.True(task.IsCompleted, "a command after termination must not wait for anything");
        var e = await Assert.ThrowsAsync<KvClientStoppedException>(() => task);
        Assert.Contains("stopped", e.Message);

        // A Tell from an actor that still lives (in another system) gets its failure, with its correlation id.
        using var other = new Akka.TestKit.Xunit2.TestKit(ActorSystem.Create("other"), output: _output);
        var probe = other.CreateTestProbe();
        couchbase.Supervisor.Tell(new Akka.Couchbase.Kv.Get("after") { CorrelationId = 42 }, probe.Ref);
        var failure = await probe.ExpectMsgAsync<Status.Failure>(TimeSpan.FromSeconds(5));
        Assert.IsType<KvClientStoppedException>(failure.Cause);
        Assert.Equal(42, ((CouchbaseException)failure.Cause).CorrelationId);
    }

    [Fact]
    public async Task Coordinated_shutdown_answers_every_command_it_finds()
    {
        var system = NewSystem();
        var client = CouchbaseExtension.Get(system).Client;
        await client.ConnectAsync(TimeSpan.FromSeconds(10));
        _cluster.Faults.CommandLog.Start();
        using var swallow = _cluster.Faults.Swallow(keyPattern: "^cs-held-", count: -1);
        var held = Enumerable.Range(0, 20).Select(i => (Task)client.GetAsync($"cs-held-{i}")).ToList();
        await WhenServerHasSeen(20, "cs-held-");
        var queued = Enumerable.Range(0, 500).Select(i => (Task)client.UpsertAsync($"cs-{i % 10}", i)).ToList();

        await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.UnknownReason.Instance);

        await AllComplete(held.Concat(queued).ToList(), TimeSpan.FromSeconds(10));
        Assert.All(held, t => Assert.IsType<KvClientStoppedException>(Failure(t)));
        Assert.True(system.WhenTerminated.IsCompleted, "coordinated shutdown terminates the system");
        await Assert.ThrowsAsync<KvClientStoppedException>(() => client.GetAsync("later"));
    }

    /// <summary>Waits until the cluster's command log holds <paramref name="count"/> requests for keys with the prefix.</summary>
    private async Task WhenServerHasSeen(int count, string prefix)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_cluster.Faults.CommandLog.Snapshot().Count(c => c.Key?.StartsWith(prefix, StringComparison.Ordinal) == true) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the server did not see {count} '{prefix}' requests within 10s");
            await Task.Delay(20);
        }
    }
}
