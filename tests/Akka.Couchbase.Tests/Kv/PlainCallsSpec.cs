using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>
/// A plain <c>GetAsync(key)</c> or <c>UpsertAsync(key, value, ...)</c> (no cancellation token) is sent without a
/// <see cref="Akka.Couchbase.Kv"/> command of its own, and behaves exactly as <c>SendAsync</c> of that command does:
/// the same results, the same checks before the wire with the same messages, the collection it names, and per-key
/// order among the commands sent before and after it.
/// </summary>
public sealed class PlainCallsSpec : EmbeddedClusterSpec
{
    public PlainCallsSpec(ITestOutputHelper output) : base(output, "operation-timeout = 10s\nmax-value-size = 65536\n")
    {
        Bucket.Collections.CreateScope("inventory");
        Bucket.Collections.CreateCollection("inventory", "airline");
    }

    [Fact]
    public async Task Hits_and_misses_are_the_results_the_get_command_gets()
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
    public async Task An_upsert_stores_its_value_with_its_expiry_and_honours_its_cas()
    {
        var first = await Client.UpsertAsync("plain::upsert", "one", expiry: TimeSpan.FromHours(1));
        Assert.Equal(KvOutcome.Success, first.Outcome);
        Assert.NotEqual(0UL, first.Cas);
        Assert.Equal("one", await Client.GetAsync<string>("plain::upsert"));
        Assert.NotNull(Bucket.Collection("_default", "_default").Get("plain::upsert")!.Expiry);

        var stale = await Client.UpsertAsync("plain::upsert", "two", cas: first.Cas + 1);
        var staleViaCommand = await Client.SendAsync<MutationResult>(
            new Akka.Couchbase.Kv.Upsert("plain::upsert", "two") { Cas = first.Cas + 1 });
        Assert.Equal(staleViaCommand.Outcome, stale.Outcome);
        Assert.NotEqual(KvOutcome.Success, stale.Outcome);

        var second = await Client.UpsertAsync("plain::upsert", "two", cas: first.Cas);
        Assert.Equal(KvOutcome.Success, second.Outcome);
        Assert.Equal("two", await Client.GetAsync<string>("plain::upsert"));
    }

    [Fact]
    public async Task A_named_collection_is_read_and_written_not_the_default_one()
    {
        var airline = Client.Collection("inventory", "airline");
        await airline.UpsertAsync("plain::doc", "in airline");
        await Client.UpsertAsync("plain::doc", "in default");

        Assert.Equal("in airline", (await airline.GetAsync("plain::doc")).ContentAs<string>());
        Assert.Equal("in default", (await Client.GetAsync("plain::doc")).ContentAs<string>());
        Assert.Equal("in airline", System.Text.Encoding.UTF8.GetString(Bucket.Collection("inventory", "airline").Get("plain::doc")!.Value));
        Assert.Equal(KvOutcome.NotFound, (await airline.GetAsync("plain::only-in-default-" + Guid.NewGuid())).Outcome);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a key of 251 bytes")]
    public async Task Bad_keys_fail_as_the_commands_do_with_the_same_messages(string key)
    {
        if (key.StartsWith("a key")) key = new string('k', 251);
        var get = await Assert.ThrowsAsync<KvInvalidArgumentException>(() => Client.GetAsync(key));
        var getViaCommand = await Assert.ThrowsAsync<KvInvalidArgumentException>(() =>
            Client.SendAsync<GetResult>(new Akka.Couchbase.Kv.Get(key)));
        Assert.Equal(getViaCommand.Message, get.Message);

        var upsert = await Assert.ThrowsAsync<KvInvalidArgumentException>(() => Client.UpsertAsync(key, "v"));
        var upsertViaCommand = await Assert.ThrowsAsync<KvInvalidArgumentException>(() =>
            Client.SendAsync<MutationResult>(new Akka.Couchbase.Kv.Upsert(key, "v")));
        Assert.Equal(upsertViaCommand.Message, upsert.Message);
    }

    [Fact]
    public async Task A_value_over_the_limit_is_refused_before_the_wire_as_the_command_is()
    {
        var big = new byte[65 * 1024];
        var plain = await Assert.ThrowsAsync<KvInvalidArgumentException>(() => Client.UpsertAsync("plain::big", big));
        var viaCommand = await Assert.ThrowsAsync<KvInvalidArgumentException>(() =>
            Client.SendAsync<MutationResult>(new Akka.Couchbase.Kv.Upsert("plain::big", big)));
        Assert.Equal(viaCommand.Message, plain.Message);
        Assert.Equal(KvOutcome.NotFound, (await Client.GetAsync("plain::big")).Outcome);
    }

    [Fact]
    public async Task A_bad_collection_name_is_refused_naming_the_command_and_the_problem()
    {
        var bad = Client.Collection("_system", "airline");
        var get = await Assert.ThrowsAsync<KvInvalidArgumentException>(() => bad.GetAsync("k"));
        Assert.Contains("Get of key 'k'", get.Message);
        Assert.Contains("the scope name '_system' starts with '_'", get.Message);
        var upsert = await Assert.ThrowsAsync<KvInvalidArgumentException>(() => bad.UpsertAsync("k", "v"));
        Assert.Contains("Upsert of key 'k'", upsert.Message);
        Assert.Contains("the scope name '_system' starts with '_'", upsert.Message);
    }

    [Fact]
    public async Task Reads_keep_their_place_among_the_writes_of_their_key()
    {
        const string key = "plain::order";
        var reads = new List<(int Written, Task<GetResult> Read)>();
        var writes = new List<Task<MutationResult>>();
        for (var i = 0; i < 200; i++)
        {
            writes.Add(Client.UpsertAsync(key, i.ToString()));
            reads.Add((i, Client.GetAsync(key)));
        }
        await Task.WhenAll(writes);
        foreach (var (written, read) in reads)
            Assert.Equal(written.ToString(), (await read).ContentAs<string>());
    }
}
