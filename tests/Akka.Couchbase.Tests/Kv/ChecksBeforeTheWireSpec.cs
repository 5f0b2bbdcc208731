using System.Diagnostics;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>
/// Bad input fails at once with a message naming the problem, and nothing is sent: the client here points at a
/// port where nobody listens, so anything that reached the connection would wait for its deadline instead.
/// </summary>
public sealed class ChecksBeforeTheWireSpec : ClientSpec
{
    public ChecksBeforeTheWireSpec(ITestOutputHelper output)
        : base(MemcachedHocon($"127.0.0.1:{FreePort.Next()}") + "operation-timeout = 10s\nmax-value-size = 1000\n", output)
    {
    }

    private async Task<KvInvalidArgumentException> Refused(Func<Task> call)
    {
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<KvInvalidArgumentException>(call);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}: it waited instead of failing at once");
        return e;
    }

    [Fact]
    public async Task Empty_key_is_refused()
    {
        var e = await Refused(() => Client.GetAsync(""));
        Assert.Contains("key is empty", e.Message);
    }

    [Fact]
    public async Task Key_over_250_utf8_bytes_is_refused_and_250_is_not()
    {
        var e = await Refused(() => Client.UpsertAsync(new string('é', 126), "v")); // 252 bytes
        Assert.Contains("252 UTF-8 bytes", e.Message);
        Assert.Contains("250", e.Message);
        // 250 bytes passes the check and so waits for the (absent) server until its deadline.
        var pending = Client.SendAsync<GetResult>(new Akka.Couchbase.Kv.Get(new string('a', 250)) { Timeout = TimeSpan.FromMilliseconds(300) });
        await Assert.ThrowsAsync<KvNodeUnavailableException>(() => pending);
    }

    [Fact]
    public async Task The_key_limit_counts_bytes_for_ascii_and_non_ascii_keys_alike()
    {
        var ascii = await Refused(() => Client.GetAsync(new string('a', 251)));
        Assert.Contains("251 UTF-8 bytes", ascii.Message);
        var mixed = await Refused(() => Client.GetAsync(new string('a', 249) + "é")); // 250 chars, 251 bytes
        Assert.Contains("251 UTF-8 bytes", mixed.Message);
    }

    /// <summary>A command type of the caller's own (not one of <see cref="Akka.Couchbase.Kv"/>'s).</summary>
    private sealed record UnknownCommand : Akka.Couchbase.Kv.ICommand
    {
        public object? CorrelationId { get; init; }
        public TimeSpan? Timeout { get; init; }
    }

    [Fact]
    public async Task A_command_type_the_client_does_not_know_is_refused_by_name_not_dropped()
    {
        var e = await Refused(() => Client.SendAsync<GetResult>(new UnknownCommand()));
        Assert.Contains("unsupported command type UnknownCommand", e.Message);

        Couchbase.Supervisor.Tell(new UnknownCommand { CorrelationId = 7 }, TestActor);
        var failure = await ExpectMsgAsync<Akka.Actor.Status.Failure>(TimeSpan.FromSeconds(2));
        var refused = Assert.IsType<KvInvalidArgumentException>(failure.Cause);
        Assert.Equal(7, refused.CorrelationId);
    }

    [Fact]
    public async Task Value_over_the_configured_maximum_is_refused()
    {
        var e = await Refused(() => Client.UpsertAsync("big", new byte[1001]));
        Assert.Contains("1001 bytes", e.Message);
        Assert.Contains("max-value-size", e.Message);
        await Refused(() => Client.AppendAsync("big", new string('x', 1001)));
    }

    [Fact]
    public async Task Replica_reads_on_a_memcached_bucket_are_refused()
    {
        var e = await Refused(() => Client.GetReplicaAsync("k"));
        Assert.Contains("memcached buckets have no replicas", e.Message);
    }

    [Fact]
    public async Task Durability_on_a_memcached_bucket_is_refused()
    {
        var e = await Refused(() => Client.SendAsync<MutationResult>(new Akka.Couchbase.Kv.Upsert("k", "v") { PersistTo = 1 }));
        Assert.Contains("memcached buckets have no persistence or replicas", e.Message);
        var observe = await Refused(() => Client.ObserveAsync("k"));
        Assert.Contains("memcached buckets have no persistence or replicas", observe.Message);
    }

    [Fact]
    public async Task Negative_expiry_and_timeout_are_refused()
    {
        await Refused(() => Client.UpsertAsync("k", "v", expiry: TimeSpan.FromSeconds(-1)));
        var e = await Refused(() => Client.SendAsync<GetResult>(new Akka.Couchbase.Kv.Get("k") { Timeout = TimeSpan.Zero }));
        Assert.Contains("timeout must be positive", e.Message);
    }

    [Fact]
    public async Task Multi_commands_report_bad_keys_per_key()
    {
        var result = await Client.SendAsync<MultiResult<GetResult>>(
            new Akka.Couchbase.Kv.GetMulti(new[] { "", new string('x', 300) }) { Timeout = TimeSpan.FromMilliseconds(200) });
        Assert.Equal(2, result.Failures.Count);
        Assert.All(result.Failures.Values, f => Assert.IsType<KvInvalidArgumentException>(f));
    }
}
