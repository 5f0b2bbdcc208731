using Akka.Actor;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>
/// A server that sends garbage, truncated or oversized frames makes the connection fail cleanly: every pending
/// request is answered by its deadline (reads may be retried on the next connection, written mutations are
/// ambiguous), nothing crashes or hangs, and the client keeps answering afterwards.
/// </summary>
public sealed class BrokenServerSpec
{
    private readonly ITestOutputHelper _output;

    public BrokenServerSpec(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(MisbehavingServer.Mode.Garbage, "akka-io")]
    [InlineData(MisbehavingServer.Mode.TruncatedThenClose, "akka-io")]
    [InlineData(MisbehavingServer.Mode.OversizedHeader, "akka-io")]
    [InlineData(MisbehavingServer.Mode.UnknownOpaque, "akka-io")]
    [InlineData(MisbehavingServer.Mode.Garbage, "socket")]
    [InlineData(MisbehavingServer.Mode.TruncatedThenClose, "socket")]
    [InlineData(MisbehavingServer.Mode.OversizedHeader, "socket")]
    [InlineData(MisbehavingServer.Mode.UnknownOpaque, "socket")]
    public async Task Every_pending_request_is_answered_once_and_the_client_survives(MisbehavingServer.Mode mode, string transport)
    {
        using var server = new MisbehavingServer(mode);
        using var spec = new StandaloneClient($"servers = [\"{server.Address}\"]\nbucket-type = memcached\noperation-timeout = 1500ms\ntransport = {transport}\n" +
                                  "reconnect-min-backoff = 50ms\nreconnect-max-backoff = 200ms\n", _output);
        var probe = spec.Probe();
        // Connected first (the server answers the handshake well), so that the requests' 1.5 s deadlines cannot
        // run out during a slow start before any of them reached the server.
        await spec.Client.ConnectAsync(TimeSpan.FromSeconds(20));
        for (var i = 0; i < 50; i++)
        {
            Akka.Couchbase.Kv.ICommand command = i % 2 == 0
                ? new Akka.Couchbase.Kv.Get($"k{i}") { CorrelationId = i }
                : new Akka.Couchbase.Kv.Upsert($"k{i}", "v") { CorrelationId = i };
            spec.Supervisor.Tell(command, probe.Ref);
        }

        var answered = new HashSet<int>();
        for (var n = 0; n < 50; n++)
        {
            var reply = probe.ReceiveOne(TimeSpan.FromSeconds(4));
            var failure = Assert.IsType<Status.Failure>(reply);
            var e = Assert.IsAssignableFrom<CouchbaseException>(failure.Cause);
            Assert.True(answered.Add((int)e.CorrelationId!), $"request {e.CorrelationId} answered twice");
            Assert.True(e is KvAmbiguousException or KvNodeUnavailableException or KvTimeoutException, e.ToString());
            // Reads (even ids) go again on the next connection: only a written mutation can be ambiguous.
            if ((int)e.CorrelationId! % 2 == 0) Assert.IsNotType<KvAmbiguousException>(e);
        }
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        Assert.True(server.DataRequests > 0, "the server never saw a data request");

        // Still alive: a new command is answered (by failure, since the server stays broken) within its deadline.
        spec.Supervisor.Tell(new Akka.Couchbase.Kv.Get("after") { CorrelationId = "after", Timeout = TimeSpan.FromMilliseconds(500) }, probe.Ref);
        var last = Assert.IsType<Status.Failure>(probe.ReceiveOne(TimeSpan.FromSeconds(3)));
        Assert.Equal("after", ((CouchbaseException)last.Cause).CorrelationId);
    }
}
