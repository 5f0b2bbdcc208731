using Akka.Actor;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>
/// Every command gets exactly one reply, whatever the server does: here it is killed mid-flight, then restarted.
/// Run over Akka.IO (<see cref="ExactlyOneReplySpec"/>) and over the client's own socket transport
/// (<see cref="ExactlyOneReplyOverSocketSpec"/>).
/// </summary>
public abstract class ExactlyOneReplyContract : ClientSpec
{
    private readonly MemcachedFixture _server;

    protected ExactlyOneReplyContract(MemcachedFixture server, ITestOutputHelper output, string transport)
        : base(MemcachedHocon(server.Memcached.Address) + $"transport = {transport}\noperation-timeout = 2s\n" +
               "reconnect-min-backoff = 50ms\nreconnect-max-backoff = 500ms\n", output)
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

/// <summary>The exactly-one-reply contract over Akka.IO.</summary>
public sealed class ExactlyOneReplySpec(MemcachedFixture server, ITestOutputHelper output)
    : ExactlyOneReplyContract(server, output, "akka-io"), IClassFixture<MemcachedFixture>;

/// <summary>The exactly-one-reply contract over the client's own socket transport.</summary>
public sealed class ExactlyOneReplyOverSocketSpec(MemcachedFixture server, ITestOutputHelper output)
    : ExactlyOneReplyContract(server, output, "socket"), IClassFixture<MemcachedFixture>;
