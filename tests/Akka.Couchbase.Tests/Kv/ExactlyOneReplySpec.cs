using Akka.Actor;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>Every command gets exactly one reply, whatever the server does: here it is killed mid-flight, then restarted.</summary>
public sealed class ExactlyOneReplySpec : ClientSpec, IClassFixture<MemcachedFixture>
{
    private readonly MemcachedFixture _server;

    public ExactlyOneReplySpec(MemcachedFixture server, ITestOutputHelper output)
        : base(MemcachedHocon(server.Memcached.Address) + "operation-timeout = 2s\nreconnect-min-backoff = 50ms\nreconnect-max-backoff = 500ms\n", output)
    {
        _server = server;
    }

    [Fact]
    public async Task Killing_the_server_with_a_thousand_requests_in_flight_answers_each_once_and_the_client_recovers()
    {
        await Client.ConnectAsync(TimeSpan.FromSeconds(10));
        var value = new byte[4096];
        var probe = CreateTestProbe();
        for (var i = 0; i < 1000; i++)
        {
            Akka.Couchbase.Kv.ICommand command = i % 2 == 0
                ? new Akka.Couchbase.Kv.Upsert($"k{i % 100}", value) { CorrelationId = i }
                : new Akka.Couchbase.Kv.Get($"k{i % 100}") { CorrelationId = i };
            Couchbase.Supervisor.Tell(command, probe.Ref);
        }
        _server.Memcached.Kill();

        var seen = new HashSet<int>();
        var kinds = new Dictionary<string, int>();
        for (var n = 0; n < 1000; n++)
        {
            var reply = probe.ReceiveOne(TimeSpan.FromSeconds(5)); // deadline 2s + margin
            Assert.NotNull(reply);
            var (id, kind) = reply switch
            {
                KvResult r => ((int)r.CorrelationId!, "result"),
                Status.Failure { Cause: CouchbaseException e } => ((int)e.CorrelationId!, e.GetType().Name),
                _ => throw new Xunit.Sdk.XunitException($"unexpected reply {reply}"),
            };
            Assert.True(seen.Add(id), $"request {id} was answered twice");
            // Reads (odd ids, on keys no mutation touches) go again after the loss: only a written mutation is ambiguous.
            if (id % 2 == 1) Assert.NotEqual(nameof(KvAmbiguousException), kind);
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(500));
        Assert.Equal(1000, seen.Count);
        // Mutations that reached the wire must not be reported as plain success-or-retry: they are ambiguous.
        Assert.All(kinds.Keys, k => Assert.Contains(k, new[] { "result", nameof(KvAmbiguousException),
            nameof(KvNodeUnavailableException), nameof(KvTimeoutException) }));

        _server.Memcached.Start();
        await AwaitAssertAsync(async () =>
        {
            var stored = await Client.UpsertAsync("after-restart", "back");
            Assert.Equal(KvOutcome.Success, stored.Outcome);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200));
        Assert.Equal("back", await Client.GetAsync<string>("after-restart"));
    }
}
