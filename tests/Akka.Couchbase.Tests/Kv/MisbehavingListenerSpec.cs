using Akka.Actor;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>
/// Whatever a listener on the node's port does wrong (accept and close, accept and reset, accept and never speak,
/// garbage after the handshake, a frame cut in the middle), every command sent meanwhile gets exactly one reply,
/// and once a good server takes the port the client recovers by itself: every way out of a socket ends in a
/// scheduled reconnect, never in a connection that stays "connecting".
/// </summary>
public sealed class MisbehavingListenerSpec
{
    private readonly ITestOutputHelper _output;

    public MisbehavingListenerSpec(ITestOutputHelper output) => _output = output;

    private static string Hocon(int port) =>
        $"servers = [\"127.0.0.1:{port}\"]\nbucket-type = memcached\noperation-timeout = 1s\n" +
        "connect-timeout = 1s\nhandshake-timeout = 1s\nreconnect-min-backoff = 50ms\nreconnect-max-backoff = 400ms\n";

    [Theory]
    [InlineData(MisbehavingServer.Mode.AcceptThenClose)]
    [InlineData(MisbehavingServer.Mode.AcceptThenReset)]
    [InlineData(MisbehavingServer.Mode.AcceptThenSilence)]
    [InlineData(MisbehavingServer.Mode.Garbage)]
    [InlineData(MisbehavingServer.Mode.TruncatedThenClose)]
    [InlineData(MisbehavingServer.Mode.OversizedHeader)]
    public async Task Commands_are_answered_once_and_the_client_recovers_when_a_good_server_takes_the_port(MisbehavingServer.Mode mode)
    {
        var bad = new MisbehavingServer(mode);
        var port = bad.Port;
        // Four clients, as one of four used to stay stuck: each must come back.
        var clients = Enumerable.Range(0, 4).Select(_ => new StandaloneClient(Hocon(port), _output)).ToList();
        try
        {
            var probes = clients.Select(c => c.Probe()).ToList();
            for (var c = 0; c < clients.Count; c++)
            for (var i = 0; i < 20; i++)
            {
                Akka.Couchbase.Kv.ICommand command = i % 2 == 0
                    ? new Akka.Couchbase.Kv.Get($"k{i}") { CorrelationId = i }
                    : new Akka.Couchbase.Kv.Upsert($"k{i}", "v") { CorrelationId = i };
                clients[c].Supervisor.Tell(command, probes[c].Ref);
            }
            for (var c = 0; c < clients.Count; c++)
            {
                var answered = new HashSet<int>();
                for (var n = 0; n < 20; n++)
                {
                    var reply = await probes[c].ExpectMsgAsync<Status.Failure>(TimeSpan.FromSeconds(5));
                    var e = Assert.IsAssignableFrom<CouchbaseException>(reply.Cause);
                    Assert.True(answered.Add((int)e.CorrelationId!), $"request {e.CorrelationId} answered twice");
                    Assert.True(e is KvAmbiguousException or KvNodeUnavailableException or KvTimeoutException, e.ToString());
                    // Reads (even ids) go again on the next connection: only a written mutation can be ambiguous.
                    if ((int)e.CorrelationId! % 2 == 0) Assert.IsNotType<KvAmbiguousException>(e);
                }
            }
            Assert.True(bad.Connections > 0, "the bad listener never saw a connection");
        }
        finally
        {
            bad.Dispose();
        }

        using var good = MemcachedProcess.PlainOn(port);
        for (var c = 0; c < clients.Count; c++)
        {
            var client = clients[c].Client;
            // Commands sent before the reconnect may still meet the old failure; within a few backoffs one succeeds.
            await Eventually(() => client.UpsertAsync($"recovered-{c}", $"client {c}"), TimeSpan.FromSeconds(10));
            var result = await client.GetAsync($"recovered-{c}");
            Assert.Equal(KvOutcome.Success, result.Outcome);
            Assert.Equal($"client {c}", result.ContentAs<string>());
        }
        foreach (var client in clients) client.Dispose();
    }

    /// <summary>Retries <paramref name="attempt"/> until it succeeds or <paramref name="within"/> has passed (then rethrows).</summary>
    private static async Task<T> Eventually<T>(Func<Task<T>> attempt, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (CouchbaseException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
