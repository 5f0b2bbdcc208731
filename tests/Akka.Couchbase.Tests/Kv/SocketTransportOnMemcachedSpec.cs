using Akka.Actor;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>
/// The client's own socket transport (<c>transport = socket</c>) against stock memcached: values of every size come
/// back whole whether they fit in one read or span many, and per-key order holds with writes batched (a server
/// killed with commands in flight: <see cref="ExactlyOneReplyOverSocketSpec"/>).
/// </summary>
public sealed class SocketTransportOnMemcachedSpec : ClientSpec, IClassFixture<MemcachedFixture>
{
    public SocketTransportOnMemcachedSpec(MemcachedFixture server, ITestOutputHelper output)
        : base(MemcachedHocon(server.Memcached.Address) + "transport = socket\noperation-timeout = 2s\n", output)
    {
    }

    [Fact]
    public void The_client_runs_on_the_socket_transport() =>
        Assert.Equal(KvTransport.Socket, Client.Settings.Transport);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1024)]
    [InlineData(65_535)]
    [InlineData(65_537)] // more than one read of the transport's 64 KiB buffer
    [InlineData(900_000)] // near memcached's item limit (1 MiB with its own overhead)
    public async Task Values_of_every_size_come_back_whole(int size)
    {
        var value = new byte[size];
        new Random(size).NextBytes(value);
        var key = $"size-{size}-{Guid.NewGuid():N}";
        Assert.Equal(KvOutcome.Success, (await Client.UpsertAsync(key, value)).Outcome);
        var got = await Client.GetAsync(key);
        Assert.Equal(KvOutcome.Success, got.Outcome);
        Assert.Equal(value, got.RawValue.ToArray());
    }

    [Fact]
    public async Task Many_values_spanning_reads_come_back_whole_when_read_together()
    {
        // 64 gets of 40 KiB values in flight at once: the replies run across read boundaries at every offset.
        var keys = Enumerable.Range(0, 64).Select(i => $"together-{i}-{Guid.NewGuid():N}").ToArray();
        var values = keys.Select((_, i) => Enumerable.Range(0, 40 * 1024).Select(b => (byte)(b * 7 + i)).ToArray()).ToArray();
        await Task.WhenAll(keys.Select((k, i) => Client.UpsertAsync(k, values[i])));
        var results = await Task.WhenAll(keys.Select(k => Client.GetAsync(k)));
        for (var i = 0; i < keys.Length; i++) Assert.Equal(values[i], results[i].RawValue.ToArray());
    }

    [Fact]
    public async Task Appends_sent_together_land_in_the_order_sent_per_key()
    {
        var keys = Enumerable.Range(0, 10).Select(i => $"order-{i}-{Guid.NewGuid():N}").ToArray();
        foreach (var key in keys) await Client.UpsertAsync(key, "");
        var probe = CreateTestProbe();
        const int rounds = 200;
        for (var round = 0; round < rounds; round++)
            foreach (var key in keys)
                Couchbase.Supervisor.Tell(new Akka.Couchbase.Kv.Append(key, $"{round},"), probe.Ref);
        for (var n = 0; n < rounds * keys.Length; n++)
            Assert.Equal(KvOutcome.Success, (await probe.ExpectMsgAsync<MutationResult>(TimeSpan.FromSeconds(10))).Outcome);

        var expected = string.Concat(Enumerable.Range(0, rounds).Select(r => $"{r},"));
        foreach (var key in keys) Assert.Equal(expected, await Client.GetAsync<string>(key));
    }
}
