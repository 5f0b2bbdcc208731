using System.Text;
using Akka.Actor;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>
/// A memcached bucket over TLS, against stock memcached speaking TLS (<c>-Z</c>) with a certificate signed by a
/// CA the client is told to trust: every kind of command round trips, and many commands in flight keep their
/// per-key order.
/// </summary>
public sealed class TlsOnMemcachedSpec : ClientSpec, IClassFixture<TlsMemcachedFixture>
{
    public TlsOnMemcachedSpec(TlsMemcachedFixture server, ITestOutputHelper output)
        : base(Hocon(server), output)
    {
    }

    private static string Hocon(TlsMemcachedFixture server) => !MemcachedProcess.SupportsTls
        ? MemcachedHocon("127.0.0.1:1")
        : MemcachedHocon(server.Memcached.Address) + "operation-timeout = 20s\n" +
          $"tls {{ enabled = on, trusted-certificates = [\"{server.Ca.CaPath}\"] }}\n";

    private static string Key(string name) => $"tls-{name}-{Guid.NewGuid():N}";

    [TlsFact]
    public async Task Values_larger_than_a_read_come_back_whole_over_tls()
    {
        // 64 KiB + 1 and 900 KB: each begins in one read and is read on its own, straight into an array of its size;
        // eight 40 KiB values read together run across the reads at other offsets.
        foreach (var size in new[] { 65_537, 900_000 })
        {
            var value = new byte[size];
            new Random(size).NextBytes(value);
            var key = Key($"large-{size}");
            Assert.Equal(KvOutcome.Success, (await Client.UpsertAsync(key, value)).Outcome);
            Assert.Equal(value, (await Client.GetAsync(key)).RawValue.ToArray());
        }
        var keys = Enumerable.Range(0, 8).Select(i => Key($"together-{i}")).ToArray();
        var values = keys.Select((_, i) => Enumerable.Range(0, 40 * 1024).Select(b => (byte)(b * 3 + i)).ToArray()).ToArray();
        await Task.WhenAll(keys.Select((k, i) => Client.UpsertAsync(k, values[i])));
        var results = await Task.WhenAll(keys.Select(k => Client.GetAsync(k)));
        for (var i = 0; i < keys.Length; i++) Assert.Equal(values[i], results[i].RawValue.ToArray());
    }

    [TlsFact]
    public async Task Every_kind_of_command_round_trips_over_tls()
    {
        var key = Key("kv");
        Assert.Equal(KvOutcome.Success, (await Client.UpsertAsync(key, "middle")).Outcome);
        Assert.Equal("middle", await Client.GetAsync<string>(key));
        Assert.Equal(KvOutcome.Exists, (await Client.InsertAsync(key, "other")).Outcome);
        Assert.Equal(KvOutcome.Success, (await Client.AppendAsync(key, "-end")).Outcome);
        Assert.Equal("middle-end", await Client.GetAsync<string>(key));
        Assert.Equal(KvOutcome.Success, (await Client.ReplaceAsync(key, new byte[] { 1, 2, 3 })).Outcome);
        Assert.Equal(new byte[] { 1, 2, 3 }, await Client.GetAsync<byte[]>(key));
        Assert.Equal(KvOutcome.Success, (await Client.RemoveAsync(key)).Outcome);
        Assert.Equal(KvOutcome.NotFound, (await Client.GetAsync(key)).Outcome);
        Assert.Equal(KvOutcome.NotFound, (await Client.ReplaceAsync(key, "x")).Outcome);

        var fresh = Key("insert");
        Assert.Equal(KvOutcome.Success, (await Client.InsertAsync(fresh, "one")).Outcome);
        Assert.Equal("one", await Client.GetAsync<string>(fresh));

        var counter = Key("counter");
        var created = await Client.IncrementAsync(counter, delta: 5, initial: 10);
        Assert.Equal((KvOutcome.Success, 10UL), (created.Outcome, created.Value));
        Assert.Equal(15UL, (await Client.IncrementAsync(counter, delta: 5)).Value);
    }

    [TlsFact]
    public async Task A_large_value_crosses_many_tls_records_intact()
    {
        var key = Key("large");
        var value = new byte[512 * 1024]; // memcached stores items up to 1 MiB by default
        new Random(7).NextBytes(value);
        Assert.Equal(KvOutcome.Success, (await Client.UpsertAsync(key, value)).Outcome);
        Assert.Equal(value, await Client.GetAsync<byte[]>(key));
    }

    [TlsFact]
    public async Task Thousands_of_pipelined_appends_land_and_are_answered_in_order()
    {
        const int count = 5_000;
        var key = Key("order");
        await Client.UpsertAsync(key, "");
        var senders = new[] { CreateTestProbe(), CreateTestProbe() };
        for (var i = 0; i < count; i++)
        {
            Couchbase.Supervisor.Tell(new Akka.Couchbase.Kv.Append(key, $"{i},") { CorrelationId = i }, senders[i % 2].Ref);
            if (i % 5 == 0) Couchbase.Supervisor.Tell(new Akka.Couchbase.Kv.Upsert(Key("noise"), "x"), senders[(i + 1) % 2].Ref);
        }

        foreach (var (probe, index) in senders.Select((p, i) => (p, i)))
        {
            var last = -1;
            var expected = Enumerable.Range(0, count).Count(i => i % 2 == index);
            var received = 0;
            while (received < expected)
            {
                var reply = await probe.ExpectMsgAsync<KvResult>(TimeSpan.FromSeconds(30));
                Assert.Equal(KvOutcome.Success, reply.Outcome);
                if (reply.Key != key) continue;
                var seq = (int)reply.CorrelationId!;
                Assert.True(seq > last, $"reply {seq} came after {last}");
                last = seq;
                received++;
            }
        }

        var stored = new StringBuilder();
        for (var i = 0; i < count; i++) stored.Append(i).Append(',');
        Assert.Equal(stored.ToString(), await Client.GetAsync<string>(key));
    }
}
