using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>
/// A plain <c>GetAsync(key)</c> (no cancellation token) is sent without a <see cref="Akka.Couchbase.Kv.Get"/> of its own,
/// and behaves exactly as <c>SendAsync(new Kv.Get(key))</c> does: the same results, the same checks before the wire
/// with the same messages, and the same per-key order among the commands sent before and after it.
/// </summary>
public sealed class PlainGetSpec : EmbeddedClusterSpec
{
    public PlainGetSpec(ITestOutputHelper output) : base(output, "operation-timeout = 10s\n")
    {
        Bucket.Collections.CreateScope("inventory");
        Bucket.Collections.CreateCollection("inventory", "airline");
    }

    [Fact]
    public async Task Hits_and_misses_are_the_results_the_command_gets()
    {
        var stored = await Client.UpsertAsync("plain::hit", new { name = "x" });

        var hit = await Client.GetAsync("plain::hit");
        var viaCommand = await Client.SendAsync<GetResult>(new Akka.Couchbase.Kv.Get("plain::hit"));
        Assert.Equal(KvOutcome.Success, hit.Outcome);
        Assert.Equal(stored.Cas, hit.Cas);
        Assert.Equal((viaCommand.Key, viaCommand.Cas, viaCommand.Flags, viaCommand.DataType, viaCommand.CorrelationId),
            (hit.Key, hit.Cas, hit.Flags, hit.DataType, hit.CorrelationId));
        Assert.Equal(viaCommand.RawValue.ToArray(), hit.RawValue.ToArray());

        var miss = await Client.GetAsync("plain::absent");
        Assert.Equal(KvOutcome.NotFound, miss.Outcome);
        Assert.Equal("plain::absent", miss.Key);
        Assert.Null(miss.CorrelationId);
    }

    [Fact]
    public async Task A_named_collection_is_read_not_the_default_one()
    {
        var airline = Client.Collection("inventory", "airline");
        await airline.UpsertAsync("plain::doc", "in airline");
        await Client.UpsertAsync("plain::doc", "in default");

        Assert.Equal("in airline", (await airline.GetAsync("plain::doc")).ContentAs<string>());
        Assert.Equal("in default", (await Client.GetAsync("plain::doc")).ContentAs<string>());
        Assert.Equal(KvOutcome.NotFound, (await airline.GetAsync("plain::only-in-default-" + Guid.NewGuid())).Outcome);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a key of 251 bytes")]
    public async Task Bad_keys_fail_as_the_command_does_with_the_same_message(string key)
    {
        if (key.StartsWith("a key")) key = new string('k', 251);
        var plain = await Assert.ThrowsAsync<KvInvalidArgumentException>(() => Client.GetAsync(key));
        var viaCommand = await Assert.ThrowsAsync<KvInvalidArgumentException>(() =>
            Client.SendAsync<GetResult>(new Akka.Couchbase.Kv.Get(key)));
        Assert.Equal(viaCommand.Message, plain.Message);
    }

    [Fact]
    public async Task A_bad_collection_name_is_refused_naming_the_command_and_the_problem()
    {
        var e = await Assert.ThrowsAsync<KvInvalidArgumentException>(() =>
            Client.Collection("_system", "airline").GetAsync("k"));
        Assert.Contains("Get of key 'k'", e.Message);
        Assert.Contains("the scope name '_system' starts with '_'", e.Message);
    }

    [Fact]
    public async Task Reads_keep_their_place_among_the_writes_of_their_key()
    {
        const string key = "plain::order";
        var tasks = new List<(int Written, Task<GetResult> Read)>();
        var writes = new List<Task<MutationResult>>();
        for (var i = 0; i < 200; i++)
        {
            writes.Add(Client.UpsertAsync(key, i.ToString()));
            tasks.Add((i, Client.GetAsync(key)));
        }
        await Task.WhenAll(writes);
        foreach (var (written, read) in tasks)
            Assert.Equal(written.ToString(), (await read).ContentAs<string>());
    }
}
