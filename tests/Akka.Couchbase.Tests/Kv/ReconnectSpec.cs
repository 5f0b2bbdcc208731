using Akka.Actor;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>
/// A server that completes the handshake and then breaks is not hammered: the backoff starts over only after a
/// connection has proven itself (stayed up for <c>reconnect-reset-after</c>), so each new loss waits longer. And a
/// command that was written and lost its answer says so: a read times out as a read that was sent, a mutation is
/// ambiguous; neither is reported as "never sent".
/// </summary>
public sealed class ReconnectSpec
{
    private readonly ITestOutputHelper _output;

    public ReconnectSpec(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("akka-io")]
    [InlineData("socket")]
    public async Task A_server_that_breaks_after_each_handshake_is_retried_at_a_growing_interval(string transport)
    {
        using var server = new MisbehavingServer(MisbehavingServer.Mode.Garbage);
        // The defaults of reference.conf: 100ms growing to 10s, reset after a connection stayed up 5s.
        using var spec = new StandaloneClient($"servers = [\"{server.Address}\"]\nbucket-type = memcached\ntransport = {transport}\n", _output);
        var probe = spec.Probe();
        for (var i = 0; i < 10; i++)
            spec.Supervisor.Tell(new Akka.Couchbase.Kv.Get($"k{i}") { CorrelationId = i, Timeout = TimeSpan.FromMilliseconds(2500) }, probe.Ref);
        for (var i = 0; i < 10; i++) await probe.ExpectMsgAsync<Status.Failure>(TimeSpan.FromSeconds(5));

        // Reconnects after 100, 200, 400, 800 and 1600ms (±20%): at most six connections in 2.5s, where a backoff
        // reset by every handshake made more than twenty.
        _output.WriteLine($"{server.Connections} connections, {server.DataRequests} data requests in 2.5s");
        Assert.InRange(server.Connections, 2, 7);
        Assert.True(server.DataRequests <= 10 * 7, $"{server.DataRequests} data requests: reads re-sent too often");
    }

    [Theory]
    [InlineData("akka-io")]
    [InlineData("socket")]
    public async Task Reads_written_and_lost_time_out_and_mutations_are_ambiguous_never_unsent(string transport)
    {
        using var server = new MisbehavingServer(MisbehavingServer.Mode.Garbage);
        using var spec = new StandaloneClient($"servers = [\"{server.Address}\"]\nbucket-type = memcached\ntransport = {transport}\n" +
                                              "operation-timeout = 1500ms\n", _output);
        await spec.Client.ConnectAsync(TimeSpan.FromSeconds(5));
        var probe = spec.Probe();
        for (var i = 0; i < 20; i++)
        {
            Akka.Couchbase.Kv.ICommand command = i % 2 == 0
                ? new Akka.Couchbase.Kv.Get($"k{i}") { CorrelationId = i }
                : new Akka.Couchbase.Kv.Upsert($"k{i}", "v") { CorrelationId = i };
            spec.Supervisor.Tell(command, probe.Ref);
        }
        for (var n = 0; n < 20; n++)
        {
            var failure = await probe.ExpectMsgAsync<Status.Failure>(TimeSpan.FromSeconds(5));
            var e = (CouchbaseException)failure.Cause;
            var id = (int)e.CorrelationId!;
            if (id % 2 == 0)
            {
                Assert.IsType<KvTimeoutException>(e);
                Assert.True(e.Context!.Attempts >= 1);
            }
            else
            {
                Assert.IsType<KvAmbiguousException>(e);
            }
        }
    }
}
