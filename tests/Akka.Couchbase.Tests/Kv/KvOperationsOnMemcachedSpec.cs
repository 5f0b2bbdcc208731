using System.Text;
using Akka.Actor;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>Every operation and every outcome, on the real wire, against stock memcached.</summary>
public sealed class KvOperationsOnMemcachedSpec : ClientSpec, IClassFixture<MemcachedFixture>
{
    public KvOperationsOnMemcachedSpec(MemcachedFixture server, ITestOutputHelper output)
        : base(MemcachedHocon(server.Memcached.Address), output)
    {
    }

    private static string Key(string name) => $"{name}-{Guid.NewGuid():N}";

    [Fact]
    public async Task Upsert_then_get_round_trips_bytes_text_and_json()
    {
        var k1 = Key("bytes");
        var k2 = Key("text");
        var k3 = Key("json");
        Assert.Equal(KvOutcome.Success, (await Client.UpsertAsync(k1, new byte[] { 1, 2, 3 })).Outcome);
        Assert.Equal(KvOutcome.Success, (await Client.UpsertAsync(k2, "bar")).Outcome);
        Assert.Equal(KvOutcome.Success, (await Client.UpsertAsync(k3, new Beer("IPA", 6.5))).Outcome);

        Assert.Equal(new byte[] { 1, 2, 3 }, await Client.GetAsync<byte[]>(k1));
        Assert.Equal("bar", await Client.GetAsync<string>(k2));
        Assert.Equal(new Beer("IPA", 6.5), await Client.GetAsync<Beer>(k3));
        var raw = await Client.GetAsync(k3);
        Assert.Equal("{\"Name\":\"IPA\",\"Abv\":6.5}", Encoding.UTF8.GetString(raw.RawValue.Span));
        Assert.Equal(Akka.Couchbase.Transcoding.CommonFlags.Json, raw.Flags);
    }

    public sealed record Beer(string Name, double Abv);

    [Fact]
    public async Task A_miss_is_an_outcome_not_a_failure()
    {
        var result = await Client.GetAsync(Key("missing"));
        Assert.Equal(KvOutcome.NotFound, result.Outcome);
        Assert.False(result.IsSuccess);
        var (found, value) = await Client.TryGetAsync<string>(Key("missing"));
        Assert.False(found);
        Assert.Null(value);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Client.GetAsync<string>(Key("missing")));
    }

    [Fact]
    public async Task Insert_refuses_an_existing_key_and_replace_a_missing_one()
    {
        var key = Key("insert");
        Assert.Equal(KvOutcome.Success, (await Client.InsertAsync(key, "one")).Outcome);
        Assert.Equal(KvOutcome.Exists, (await Client.InsertAsync(key, "two")).Outcome);
        Assert.Equal("one", await Client.GetAsync<string>(key));
        Assert.Equal(KvOutcome.NotFound, (await Client.ReplaceAsync(Key("replace"), "x")).Outcome);
    }

    [Fact]
    public async Task Cas_guards_replace_upsert_and_remove()
    {
        var key = Key("cas");
        var first = await Client.UpsertAsync(key, "v1");
        Assert.NotEqual(0UL, first.Cas);
        var second = await Client.ReplaceAsync(key, "v2", cas: first.Cas);
        Assert.Equal(KvOutcome.Success, second.Outcome);
        Assert.NotEqual(first.Cas, second.Cas);
        Assert.Equal(KvOutcome.CasMismatch, (await Client.ReplaceAsync(key, "stale", cas: first.Cas)).Outcome);
        Assert.Equal(KvOutcome.CasMismatch, (await Client.UpsertAsync(key, "stale", cas: first.Cas)).Outcome);
        Assert.Equal(KvOutcome.CasMismatch, (await Client.RemoveAsync(key, cas: first.Cas)).Outcome);
        var read = await Client.GetAsync(key);
        Assert.Equal("v2", read.ContentAs<string>());
        Assert.Equal(second.Cas, read.Cas);
        Assert.Equal(KvOutcome.Success, (await Client.RemoveAsync(key, cas: second.Cas)).Outcome);
    }

    [Fact]
    public async Task Remove_reports_a_missing_key_unless_quiet()
    {
        var key = Key("remove");
        await Client.UpsertAsync(key, "x");
        Assert.Equal(KvOutcome.Success, (await Client.RemoveAsync(key)).Outcome);
        Assert.Equal(KvOutcome.NotFound, (await Client.GetAsync(key)).Outcome);
        Assert.Equal(KvOutcome.NotFound, (await Client.RemoveAsync(key)).Outcome);
        Assert.Equal(KvOutcome.Success, (await Client.RemoveAsync(key, quiet: true)).Outcome);
    }

    [Fact]
    public async Task Append_and_prepend_change_existing_documents_only()
    {
        var key = Key("concat");
        await Client.UpsertAsync(key, "middle");
        Assert.Equal(KvOutcome.Success, (await Client.AppendAsync(key, "-end")).Outcome);
        Assert.Equal(KvOutcome.Success, (await Client.PrependAsync(key, "start-")).Outcome);
        Assert.Equal("start-middle-end", await Client.GetAsync<string>(key));
        Assert.Equal(KvOutcome.NotStored, (await Client.AppendAsync(Key("absent"), "x")).Outcome);
        Assert.Equal(KvOutcome.NotStored, (await Client.PrependAsync(Key("absent"), "x")).Outcome);
    }

    [Fact]
    public async Task Counters_create_add_subtract_and_stop_at_zero()
    {
        var key = Key("counter");
        Assert.Equal(KvOutcome.NotFound, (await Client.IncrementAsync(key)).Outcome);
        var created = await Client.IncrementAsync(key, delta: 5, initial: 10);
        Assert.Equal((KvOutcome.Success, 10UL), (created.Outcome, created.Value));
        Assert.Equal(15UL, (await Client.IncrementAsync(key, delta: 5)).Value);
        Assert.Equal(12UL, (await Client.DecrementAsync(key, delta: 3)).Value);
        Assert.Equal(0UL, (await Client.DecrementAsync(key, delta: 100)).Value);
        // memcached rewrites a shrinking counter in place, padding it with spaces.
        Assert.Equal("0", (await Client.GetAsync<string>(key)).TrimEnd());
    }

    [Fact]
    public async Task Incrementing_a_non_number_is_an_invalid_argument_failure()
    {
        var key = Key("notanumber");
        await Client.UpsertAsync(key, "abc");
        var e = await Assert.ThrowsAsync<KvInvalidArgumentException>(() => Client.IncrementAsync(key));
        Assert.Contains("not a number", e.Message);
        Assert.Equal(Akka.Couchbase.Protocol.KvStatus.DeltaBadValue, e.Context!.Status);
    }

    [Fact]
    public async Task Touch_and_get_and_touch_set_expiry()
    {
        var key = Key("touch");
        await Client.UpsertAsync(key, "short-lived");
        Assert.Equal(KvOutcome.Success, (await Client.TouchAsync(key, TimeSpan.FromSeconds(1))).Outcome);
        var gat = await Client.GetAndTouchAsync(key, TimeSpan.FromSeconds(1));
        Assert.Equal("short-lived", gat.ContentAs<string>());
        Assert.Equal(KvOutcome.NotFound, (await Client.TouchAsync(Key("absent"), TimeSpan.FromSeconds(1))).Outcome);
        await AwaitAssertAsync(async () => Assert.Equal(KvOutcome.NotFound, (await Client.GetAsync(key)).Outcome),
            TimeSpan.FromSeconds(4), TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task Memcached_buckets_have_no_locks_and_the_client_says_so_before_the_wire()
    {
        var key = Key("lock");
        await Client.UpsertAsync(key, "x");
        var e = await Assert.ThrowsAsync<KvInvalidArgumentException>(() => Client.GetAndLockAsync(key, TimeSpan.FromSeconds(5)));
        Assert.Contains("memcached buckets have no locks", e.Message);
        await Assert.ThrowsAsync<KvInvalidArgumentException>(() => Client.UnlockAsync(key, 1));
        Assert.Equal("x", await Client.GetAsync<string>(key));
    }

    [Fact]
    public async Task Multi_commands_answer_per_key()
    {
        var keys = Enumerable.Range(0, 20).Select(i => Key($"multi{i}")).ToList();
        var items = keys.Take(10).ToDictionary(k => k, k => (object?)("value of " + k));
        var stored = await Client.UpsertMultiAsync(items);
        Assert.True(stored.AllSucceeded);
        Assert.Equal(10, stored.Results.Count);

        var read = await Client.GetMultiAsync(keys);
        Assert.Equal(20, read.Results.Count);
        foreach (var k in keys.Take(10)) Assert.Equal("value of " + k, read.Results[k].ContentAs<string>());
        foreach (var k in keys.Skip(10)) Assert.Equal(KvOutcome.NotFound, read.Results[k].Outcome);
        Assert.False(read.AllSucceeded);

        var removed = await Client.RemoveMultiAsync(keys, quiet: true);
        Assert.True(removed.AllSucceeded);
        Assert.Equal(20, removed.Results.Count);
    }

    [Fact]
    public async Task A_mixed_multi_answers_each_command_by_its_key()
    {
        var (added, existing, counter, appended, touched, bad) =
            (Key("add"), Key("existing"), Key("counter"), Key("append"), Key("touch"), Key("bad"));
        await Client.UpsertAsync(existing, "old");
        await Client.UpsertAsync(touched, "t");

        var results = await Client.MultiAsync(new Akka.Couchbase.Kv.KeyCommand[]
        {
            new Akka.Couchbase.Kv.Insert(added, "new"),                  // add_multi
            new Akka.Couchbase.Kv.Insert(existing, "again"),
            new Akka.Couchbase.Kv.Increment(counter) { Initial = 10 },   // incr_multi
            new Akka.Couchbase.Kv.Append(appended, "x"),                 // append_multi, nothing to append to
            new Akka.Couchbase.Kv.Touch(touched, TimeSpan.FromMinutes(5)),
            new Akka.Couchbase.Kv.Upsert(bad, "v") { PersistTo = 1 },    // durability is refused inside a multi
        });

        Assert.Equal(KvOutcome.Success, results.Results[added].Outcome);
        Assert.Equal(KvOutcome.Exists, results.Results[existing].Outcome);
        Assert.Equal(10UL, Assert.IsType<CounterResult>(results.Results[counter]).Value);
        Assert.Equal(KvOutcome.NotStored, results.Results[appended].Outcome);
        Assert.Equal(KvOutcome.Success, results.Results[touched].Outcome);
        Assert.Contains("not available inside Kv.Multi", Assert.IsType<KvInvalidArgumentException>(results.Failures[bad]).Message);
        Assert.Equal("new", await Client.GetAsync<string>(added));
        Assert.Equal("old", await Client.GetAsync<string>(existing));

        var twice = await Assert.ThrowsAsync<KvInvalidArgumentException>(() => Client.MultiAsync(new Akka.Couchbase.Kv.KeyCommand[]
            { new Akka.Couchbase.Kv.Get(added), new Akka.Couchbase.Kv.Remove(added) }));
        Assert.Contains("appears more than once", twice.Message);
    }

    [Fact]
    public async Task Stats_come_back_by_node_with_their_group()
    {
        await Client.UpsertAsync(Key("stats"), "x");
        var general = await Client.StatsAsync();
        var node = Assert.Single(general.Nodes);
        Assert.Empty(general.Failures);
        Assert.True(long.Parse(node.Value["pid"]) > 0);
        Assert.True(long.Parse(node.Value["curr_items"]) >= 1);

        var settings = await Client.StatsAsync("settings");
        Assert.True(settings.Nodes.Single().Value.ContainsKey("maxconns"));
        // The connection still pairs every other reply with its own request afterwards.
        Assert.Equal(KvOutcome.NotFound, (await Client.GetAsync(Key("after-stats"))).Outcome);
    }

    [Fact]
    public async Task Tell_replies_carry_the_correlation_id()
    {
        var key = Key("tell");
        var probe = CreateTestProbe();
        Couchbase.Supervisor.Tell(new Akka.Couchbase.Kv.Upsert(key, "v") { CorrelationId = 41 }, probe.Ref);
        Assert.Equal(41, (await probe.ExpectMsgAsync<MutationResult>(TimeSpan.FromSeconds(5))).CorrelationId);
        Couchbase.Supervisor.Tell(new Akka.Couchbase.Kv.Get(key) { CorrelationId = "g" }, probe.Ref);
        var get = await probe.ExpectMsgAsync<GetResult>(TimeSpan.FromSeconds(5));
        Assert.Equal(("g", "v"), (get.CorrelationId, get.ContentAs<string>()));
        Couchbase.Supervisor.Tell(new Akka.Couchbase.Kv.GetMulti(new[] { key }) { CorrelationId = 7 }, probe.Ref);
        Assert.Equal(7, (await probe.ExpectMsgAsync<MultiResult<GetResult>>(TimeSpan.FromSeconds(5))).CorrelationId);
        Couchbase.Supervisor.Tell(new Akka.Couchbase.Kv.Get("") { CorrelationId = 9 }, probe.Ref);
        var failure = await probe.ExpectMsgAsync<Status.Failure>(TimeSpan.FromSeconds(5));
        Assert.Equal(9, Assert.IsType<KvInvalidArgumentException>(failure.Cause).CorrelationId);
    }

    [Fact]
    public async Task Ask_returns_results_and_faults_on_failures()
    {
        var key = Key("ask");
        await Couchbase.Supervisor.Ask<MutationResult>(new Akka.Couchbase.Kv.Upsert(key, "v"), TimeSpan.FromSeconds(5));
        var get = await Couchbase.Supervisor.Ask<GetResult>(new Akka.Couchbase.Kv.Get(key), TimeSpan.FromSeconds(5));
        Assert.Equal("v", get.ContentAs<string>());
        await Assert.ThrowsAsync<KvInvalidArgumentException>(() =>
            Couchbase.Supervisor.Ask<GetResult>(new Akka.Couchbase.Kv.Get(new string('k', 251)), TimeSpan.FromSeconds(5)));
    }
}
