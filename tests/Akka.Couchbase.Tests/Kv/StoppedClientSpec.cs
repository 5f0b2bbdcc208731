using Akka.Actor;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>A stopped client still answers: commands that reach its stopped supervisor fail instead of vanishing.</summary>
public sealed class StoppedClientSpec : ClientSpec
{
    public StoppedClientSpec(ITestOutputHelper output) : base(MemcachedHocon($"127.0.0.1:{FreePort.Next()}"), output) { }

    [Fact]
    public async Task Tasks_tells_and_asks_to_a_stopped_supervisor_fail_at_once()
    {
        var supervisor = Couchbase.Supervisor;
        Watch(supervisor);
        Sys.Stop(supervisor);
        ExpectTerminated(supervisor);

        var task = await Assert.ThrowsAsync<KvClientStoppedException>(() =>
            Client.GetAsync("k").WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("stopped", task.Message);
        Assert.StartsWith("Get not sent", task.Message); // the command is named, though a plain GetAsync made none

        var probe = CreateTestProbe();
        supervisor.Tell(new Akka.Couchbase.Kv.Get("k") { CorrelationId = 7 }, probe.Ref);
        var failure = await probe.ExpectMsgAsync<Status.Failure>(TimeSpan.FromSeconds(5));
        Assert.Equal(7, ((CouchbaseException)failure.Cause).CorrelationId);

        await Assert.ThrowsAsync<KvClientStoppedException>(() =>
            supervisor.Ask<GetResult>(new Akka.Couchbase.Kv.Get("k"), TimeSpan.FromSeconds(5)));
    }
}
