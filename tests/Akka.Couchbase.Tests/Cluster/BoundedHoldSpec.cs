using Akka.Actor;
using Akka.Couchbase.Tests.Infrastructure;
using Akka.Couchbase.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>Commands the supervisor holds (no route yet) are bounded by max-backlog: past it they are refused at once.</summary>
public sealed class BoundedHoldSpec : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private InProcessCluster _cluster = null!;

    public BoundedHoldSpec(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync()
    {
        _cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions { Users = { ["app"] = "s3cret" } });
        _cluster.Faults.SetCccp(false); // no cluster map to be had: nothing can be routed
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Past_max_backlog_commands_fail_at_once_and_the_held_ones_by_their_deadline()
    {
        using var spec = new StandaloneClient($"servers = [\"127.0.0.1:{_cluster.Nodes[0].KvPort}\"]\nusername = app\npassword = s3cret\n" +
                                  "max-backlog = 10\noperation-timeout = 1s\nhttp-bootstrap.enabled = off\n", _output);
        var probe = spec.Probe();
        for (var i = 0; i < 50; i++) spec.Supervisor.Tell(new Akka.Couchbase.Kv.Get($"k{i}") { CorrelationId = i }, probe.Ref);

        var answered = new HashSet<int>();
        var overloaded = 0;
        for (var n = 0; n < 50; n++)
        {
            var failure = await probe.ExpectMsgAsync<Status.Failure>(TimeSpan.FromSeconds(5));
            var e = Assert.IsAssignableFrom<CouchbaseException>(failure.Cause);
            Assert.True(answered.Add((int)e.CorrelationId!));
            if (e is KvOverloadedException)
            {
                overloaded++;
                Assert.Contains("max-backlog", e.Message);
            }
            else
            {
                var message = Assert.IsType<KvTimeoutException>(e).Message;
                Assert.Contains("no cluster map", message);
                Assert.Contains("http-bootstrap.enabled is off", message);
            }
        }
        Assert.Equal(40, overloaded);
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
    }
}
