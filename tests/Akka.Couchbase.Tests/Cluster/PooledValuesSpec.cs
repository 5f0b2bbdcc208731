using System.Runtime.InteropServices;
using Akka.Configuration;
using Akka.Couchbase.Tests.Infrastructure;
using Akka.Couchbase.TestKit;
using Akka.Couchbase.TestKit.Cluster;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>
/// Value pooling over real sockets (an in-process cluster, Akka.IO reads of 16 KiB, so a 256 KiB value arrives split
/// across many reads): with it on, a large Get's value is exact and lies in an array rented from the client's pool,
/// which Dispose gives back once and after which the value cannot be read; the typed Task call gives its array back
/// itself, and the client's own socket transport rents as Akka.IO's does; with it off, nothing is rented and results
/// read as always.
/// </summary>
public sealed class PooledValuesSpec : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private const int Large = 256 * 1024;
    private readonly InProcessCluster _cluster;
    private readonly CountingPool _pool = new();
    private readonly CouchbaseClient _pooled;
    private readonly CouchbaseClient _unpooled;

    public PooledValuesSpec(ITestOutputHelper output) : this(StartCluster(), output) { }

    private PooledValuesSpec(InProcessCluster cluster, ITestOutputHelper output)
        : base(ConfigurationFactory.ParseString(
            "akka.io.tcp { maximum-frame-size = 16k, receive-buffer-size = 32k, send-buffer-size = 32k }\n" +
            "akka.loglevel = INFO\n" +
            $"akka.couchbase {{ servers = [\"127.0.0.1:{cluster.Nodes[0].KvPort}\"], " +
            $"http-bootstrap.servers = [\"127.0.0.1:{cluster.Nodes[0].MgmtPort}\"], username = app, password = s3cret }}"),
            output: output)
    {
        _cluster = cluster;
        var settings = CouchbaseExtension.Get(Sys).Client.Settings;
        _pooled = CouchbaseExtension.Get(Sys).CreateClient(
            settings with { ValuePooling = new ValuePoolingSettings { Enabled = true, MinSize = 16 * 1024, Pool = _pool } }, "pooled");
        _unpooled = CouchbaseExtension.Get(Sys).CreateClient(
            settings with { ValuePooling = new ValuePoolingSettings { Enabled = false, Pool = _pool } }, "unpooled");
    }

    private static InProcessCluster StartCluster() =>
        InProcessCluster.StartAsync(new InProcessClusterOptions
        {
            Nodes = 1,
            Buckets = { new BucketDefinition("default", BucketType.Couchbase, VBuckets: 64, Replicas: 0) },
            Users = { ["app"] = "s3cret" },
        }).GetAwaiter().GetResult();

    public async Task InitializeAsync()
    {
        await _pooled.ConnectAsync(TimeSpan.FromSeconds(20));
        await _unpooled.ConnectAsync(TimeSpan.FromSeconds(20));
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static byte[] Bytes(int length, int seed) =>
        Enumerable.Range(0, length).Select(i => (byte)(i * 13 + seed)).ToArray();

    private static byte[] ArrayOf(ReadOnlyMemory<byte> memory)
    {
        Assert.True(MemoryMarshal.TryGetArray(memory, out var segment));
        return segment.Array!;
    }

    private async Task<(string Key, byte[] Value)> Stored(int length, int seed)
    {
        var key = $"doc-{Guid.NewGuid():N}";
        var value = Bytes(length, seed);
        await _unpooled.UpsertAsync(key, value);
        return (key, value);
    }

    [Fact]
    public async Task A_large_value_is_exact_and_Dispose_gives_its_array_back_once()
    {
        var (key, value) = await Stored(Large, 1);

        var result = await _pooled.GetAsync(key);

        Assert.Equal(value, result.RawValue.ToArray());
        Assert.Equal(value, result.ContentAs<byte[]>());
        var array = ArrayOf(result.RawValue);
        Assert.True(_pool.Lent(array), "the value lies in an array rented from the client's pool");
        Assert.Equal(0, _pool.ReturnsOf(array));

        result.Dispose();
        result.Dispose();

        Assert.Equal(1, _pool.ReturnsOf(array));
        Assert.Contains($"'{key}'", Assert.Throws<ObjectDisposedException>(() => result.RawValue).Message);
        Assert.Contains($"'{key}'", Assert.Throws<ObjectDisposedException>(() => result.ContentAs<byte[]>()).Message);
        Assert.Contains($"Value={Large} bytes", result.ToString());
    }

    [Fact]
    public async Task Every_one_of_many_large_values_in_flight_at_once_is_its_own_and_exact()
    {
        var docs = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Stored(Large + i * 1000, i)));

        var results = await Task.WhenAll(docs.Select(d => _pooled.GetAsync(d.Key)));

        for (var i = 0; i < docs.Length; i++) Assert.Equal(docs[i].Value, results[i].RawValue.ToArray());
        var arrays = results.Select(r => ArrayOf(r.RawValue)).ToList();
        Assert.All(arrays, a => Assert.True(_pool.Lent(a)));
        Assert.Equal(docs.Length, arrays.Distinct(ReferenceEqualityComparer.Instance).Count());
        foreach (var r in results) r.Dispose();
        Assert.All(arrays, a => Assert.Equal(1, _pool.ReturnsOf(a)));
    }

    [Fact]
    public async Task A_reply_told_to_an_actor_owns_its_array_as_a_task_result_does()
    {
        var (key, value) = await Stored(Large, 2);

        _pooled.Supervisor.Tell(new Kv.Get(key), TestActor);
        var result = ExpectMsg<GetResult>(TimeSpan.FromSeconds(10));

        Assert.Equal(value, result.RawValue.ToArray());
        var array = ArrayOf(result.RawValue);
        Assert.True(_pool.Lent(array));
        result.Dispose();
        Assert.Equal(1, _pool.ReturnsOf(array));
    }

    [Fact]
    public async Task A_value_below_the_minimum_is_not_rented()
    {
        var (key, value) = await Stored(8 * 1024, 3);

        var result = await _pooled.GetAsync(key);

        Assert.Equal(value, result.RawValue.ToArray());
        Assert.False(_pool.Lent(ArrayOf(result.RawValue)));
        result.Dispose();
        Assert.Equal(value, result.RawValue.ToArray());
    }

    [Fact]
    public async Task The_typed_get_decodes_the_value_and_gives_its_array_back()
    {
        var (key, value) = await Stored(Large, 4);
        var text = new string('x', Large);
        var textKey = $"text-{Guid.NewGuid():N}";
        await _unpooled.UpsertAsync(textKey, text);

        Assert.Equal(value, await _pooled.GetAsync<byte[]>(key));
        Assert.Equal(text, await _pooled.GetAsync<string>(textKey));
        var (found, again) = await _pooled.TryGetAsync<byte[]>(key);

        Assert.True(found);
        Assert.Equal(value, again);
        Assert.Equal(3, _pool.Rented);
        Assert.Equal(3, _pool.Returned);
    }

    [Fact]
    public async Task The_typed_get_as_memory_keeps_its_array_for_the_memory_it_returns()
    {
        var (key, value) = await Stored(Large, 5);

        var memory = await _pooled.GetAsync<ReadOnlyMemory<byte>>(key);

        Assert.Equal(value, memory.ToArray());
        Assert.True(_pool.Lent(ArrayOf(memory)));
        Assert.Equal(0, _pool.ReturnsOf(ArrayOf(memory)));
    }

    [Fact]
    public async Task Over_the_clients_own_socket_transport_a_large_value_is_rented_and_given_back_too()
    {
        var (key, value) = await Stored(Large, 7);
        var socket = CouchbaseExtension.Get(Sys).CreateClient(_pooled.Settings with { Transport = KvTransport.Socket }, "pooled-socket");
        await socket.ConnectAsync(TimeSpan.FromSeconds(20));

        var result = await socket.GetAsync(key);

        Assert.Equal(value, result.RawValue.ToArray());
        var array = ArrayOf(result.RawValue);
        Assert.True(_pool.Lent(array), "reads of at most 64 KiB split a 256 KiB value: it is assembled in a rented array");
        result.Dispose();
        Assert.Equal(1, _pool.ReturnsOf(array));
    }

    [Fact]
    public async Task With_pooling_off_nothing_is_rented_and_a_result_reads_as_always_after_Dispose()
    {
        var (key, value) = await Stored(Large, 6);

        var result = await _unpooled.GetAsync(key);
        result.Dispose();

        Assert.Equal(value, result.RawValue.ToArray());
        Assert.Equal(value, result.ContentAs<byte[]>());
        Assert.False(result.IsDisposed);
        Assert.Equal(value, await _unpooled.GetAsync<byte[]>(key));
        Assert.Equal(0, _pool.Rented);
    }
}
