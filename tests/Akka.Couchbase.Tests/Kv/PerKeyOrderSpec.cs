using System.Text;
using Akka.Actor;
using Akka.Couchbase.Tests.Infrastructure;
using Akka.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>
/// Commands on one key are executed in the order the supervisor received them, and answered in that order, even
/// when they come from several senders and are interleaved with traffic on other keys and other nodes.
/// </summary>
public sealed class PerKeyOrderSpec : ClientSpec, IClassFixture<TwoMemcachedFixture>
{
    public PerKeyOrderSpec(TwoMemcachedFixture servers, ITestOutputHelper output)
        : base(MemcachedHocon(servers.Addresses) + "operation-timeout = 20s\n", output)
    {
    }

    [Fact]
    public async Task Ten_thousand_appends_from_interleaved_senders_land_in_order()
    {
        const int count = 10_000;
        var key = $"order-{Guid.NewGuid():N}";
        await Client.UpsertAsync(key, "");
        var senders = new[] { CreateTestProbe(), CreateTestProbe(), CreateTestProbe() };
        for (var i = 0; i < count; i++)
        {
            var sender = senders[i % senders.Length];
            Couchbase.Supervisor.Tell(new Akka.Couchbase.Kv.Append(key, $"{i},") { CorrelationId = i }, sender.Ref);
            // Noise on other keys (other nodes too) between the appends.
            if (i % 7 == 0) Couchbase.Supervisor.Tell(new Akka.Couchbase.Kv.Upsert($"noise-{i % 50}", "x"), senders[(i + 1) % 3].Ref);
        }

        // Each sender sees its own replies in increasing order.
        foreach (var (probe, index) in senders.Select((p, idx) => (p, idx)))
        {
            var last = -1;
            var expected = Enumerable.Range(0, count).Count(i => i % senders.Length == index);
            var received = 0;
            while (received < expected)
            {
                var reply = await probe.ExpectMsgAsync<KvResult>(TimeSpan.FromSeconds(30));
                if (reply.Key != key) continue;
                Assert.Equal(KvOutcome.Success, reply.Outcome);
                var seq = (int)reply.CorrelationId!;
                Assert.True(seq > last, $"reply {seq} came after {last}");
                last = seq;
                received++;
            }
        }

        var stored = await Client.GetAsync<string>(key);
        var expectedValue = new StringBuilder();
        for (var i = 0; i < count; i++) expectedValue.Append(i).Append(',');
        Assert.Equal(expectedValue.ToString(), stored);
    }
}
