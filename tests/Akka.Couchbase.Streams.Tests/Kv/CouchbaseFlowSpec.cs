using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Streams.Dsl;
using Akka.Streams.Dsl;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Streams.Tests.KvStages;

/// <summary>
/// The KV flows over the real wire: one command per element, results in the elements' order with their
/// pass-through values, expected outcomes as results, and write settings carried by every command.
/// </summary>
public sealed class CouchbaseFlowSpec : KvStageSpec
{
    public CouchbaseFlowSpec(KvCluster kv, ITestOutputHelper output) : base(kv, output) { }

    private sealed record Order(int Number, string Item);

    [Fact]
    public async Task Writes_and_reads_come_out_in_element_order_with_their_pass_through_values()
    {
        var orders = Enumerable.Range(0, 300).Select(i => new Order(i, $"item {i}")).ToList();

        var written = await RunToList(Source.From(orders)
            .Via(CouchbaseFlow.Upsert<Order>(o => $"order-{o.Number}", o => o, CouchbaseWriteSettings.Default.WithParallelism(32))));
        Assert.Equal(orders, written.Select(r => r.PassThrough));
        Assert.All(written, r => Assert.Equal((KvOutcome?)KvOutcome.Success, r.Outcome));
        Assert.Equal(orders.Select(o => $"order-{o.Number}"), written.Select(r => r.Key));

        var read = await RunToList(Source.From(orders)
            .Via(CouchbaseFlow.Get<Order>(o => $"order-{o.Number}", CouchbaseReadSettings.Default.WithParallelism(32))));
        Assert.Equal(orders, read.Select(r => r.PassThrough));
        Assert.Equal(orders, read.Select(r => r.Result!.ContentAs<Order>()));
        // The server holds what the flow wrote.
        Assert.Contains("\"Item\":\"item 7\"", Encoding.UTF8.GetString(Server.Bucket.Get("order-7")!.Value));
    }

    [Fact]
    public async Task Results_keep_element_order_when_the_replies_come_back_in_another_order()
    {
        // Keys alternate between the nodes; node 0 answers late, so node 1's replies overtake the ones before them.
        var slow = Enumerable.Range(0, 2000).Select(i => $"late-{i}").Where(k => Server.NodeOf(k) == 0).Take(10).ToList();
        var fast = Enumerable.Range(0, 2000).Select(i => $"early-{i}").Where(k => Server.NodeOf(k) == 1).Take(10).ToList();
        var keys = slow.Zip(fast, (a, b) => new[] { a, b }).SelectMany(p => p).ToList();
        foreach (var k in keys) Server.Bucket.Upsert(k, Encoding.UTF8.GetBytes($"\"{k}\""));

        Server.Cluster.Faults.Hiccup(0, TimeSpan.FromMilliseconds(500));
        var results = await RunToList(Source.From(keys).Via(CouchbaseFlow.Get(CouchbaseReadSettings.Default.WithParallelism(20))));

        Assert.Equal(keys, results.Select(r => r.PassThrough));
        Assert.Equal(keys, results.Select(r => r.Result!.ContentAs<string>()));
    }

    [Fact]
    public async Task Expected_outcomes_stay_in_the_stream_as_results()
    {
        Server.Bucket.Upsert("outcome-existing", Encoding.UTF8.GetBytes("{\"n\":1}"));

        var got = await RunToList(Source.From(new[] { "outcome-existing", "outcome-absent" }).Via(CouchbaseFlow.Get()));
        Assert.Equal(new KvOutcome?[] { KvOutcome.Success, KvOutcome.NotFound }, got.Select(r => r.Outcome));
        Assert.Equal(new[] { true, false }, got.Select(r => r.IsSuccess));
        Assert.All(got, r => Assert.False(r.IsFailure));

        var inserted = await RunToList(Source.From(new[] { "outcome-existing", "outcome-new" })
            .Via(CouchbaseFlow.Insert<string>(k => k, _ => new { n = 2 })));
        Assert.Equal(new KvOutcome?[] { KvOutcome.Exists, KvOutcome.Success }, inserted.Select(r => r.Outcome));

        var replaced = await RunToList(Source.From(new[] { "outcome-existing", "outcome-absent" })
            .Via(CouchbaseFlow.Replace<string>(k => k, _ => new { n = 3 }, cas: _ => 12345)));
        Assert.Equal(new KvOutcome?[] { KvOutcome.CasMismatch, KvOutcome.NotFound }, replaced.Select(r => r.Outcome));

        var mutated = await RunToList(Source.From(new[] { "outcome-existing" })
            .Via(CouchbaseFlow.MutateIn<string>(k => k, _ => new MutateInSpecBuilder().Replace("no.such.path", 1).Build())));
        var pathFailure = Assert.Single(mutated);
        Assert.Equal(KvOutcome.PathFailure, pathFailure.Outcome);
        Assert.Equal(0, pathFailure.Result!.FailedIndex);

        var removed = await RunToList(Source.From(new[] { "outcome-existing", "outcome-absent" }).Via(CouchbaseFlow.Remove()));
        Assert.Equal(new KvOutcome?[] { KvOutcome.Success, KvOutcome.NotFound }, removed.Select(r => r.Outcome));
        Assert.Null(Server.Bucket.Get("outcome-existing"));
    }

    [Fact]
    public async Task Mutate_in_changes_parts_of_each_document()
    {
        var keys = Enumerable.Range(0, 20).Select(i => $"counter-doc-{i}").ToList();
        var results = await RunToList(Source.From(keys).Via(CouchbaseFlow.MutateIn<string>(k => k,
            k => new MutateInSpecBuilder().Upsert("name", k).Increment("hits", 5).Build(), StoreSemantics.Upsert)));
        Assert.All(results, r => Assert.Equal(5, r.Result!.ContentAs<long>(1)));
        var stored = Newtonsoft.Json.Linq.JObject.Parse(Encoding.UTF8.GetString(Server.Bucket.Get("counter-doc-3")!.Value));
        Assert.Equal(("counter-doc-3", 5), ((string)stored["name"]!, (int)stored["hits"]!));
    }

    [Fact]
    public async Task Write_settings_reach_every_command_expiry_collection_and_durability()
    {
        var settings = CouchbaseWriteSettings.Default
            .WithExpiry(TimeSpan.FromHours(1))
            .WithCollection("shop", "orders")
            .WithDurability(persistTo: 0, replicateTo: 1);
        var keys = Enumerable.Range(0, 10).Select(i => $"durable-{i}").ToList();
        CommandLog.Start();

        var results = await RunToList(Source.From(keys).Via(CouchbaseFlow.Upsert<string>(k => k, k => new { k }, settings)));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.ToString()));
        var orders = Server.Bucket.Collection("shop", "orders");
        Assert.All(keys, k => Assert.NotNull(orders.Get(k)?.Expiry));
        Assert.All(keys, k => Assert.Null(Server.Bucket.Get(k)));
        // Durability is observed: the client polled OBSERVE for the writes before answering them.
        Assert.Contains(CommandLog.Snapshot(), r => r.Opcode == Opcode.Observe);

        var read = await RunToList(Source.From(keys)
            .Via(CouchbaseFlow.Get(CouchbaseReadSettings.Default.WithCollection("shop", "orders"))));
        Assert.All(read, r => Assert.Equal(KvOutcome.Success, r.Outcome));
    }

    [Fact]
    public async Task The_settings_timeout_bounds_each_command()
    {
        using var swallow = Server.Cluster.Faults.Swallow(keyPattern: "^timeout-swallowed$", count: -1);
        var results = await RunToList(Source.From(new[] { "timeout-before", "timeout-swallowed", "timeout-after" })
            .Via(CouchbaseFlow.Get(CouchbaseReadSettings.Default.WithTimeout(TimeSpan.FromMilliseconds(300)))));

        Assert.Equal(new[] { "timeout-before", "timeout-swallowed", "timeout-after" }, results.Select(r => r.PassThrough));
        Assert.Equal(KvOutcome.NotFound, results[0].Outcome);
        Assert.IsType<KvTimeoutException>(results[1].Failure);
        Assert.Null(results[1].Result);
        Assert.Throws<KvTimeoutException>(() => results[1].GetResultOrThrow());
        Assert.Equal(KvOutcome.NotFound, results[2].Outcome);
    }

    [Fact]
    public async Task The_generic_flow_sends_any_command_as_it_is()
    {
        Server.Bucket.Upsert("generic-a", Encoding.UTF8.GetBytes("\"a\""));
        var commands = new Kv.ICommand[]
        {
            new Kv.Get("generic-a"),
            new Kv.Upsert("generic-b", "b") { Scope = "shop", Collection = "orders" },
            new Kv.Increment("generic-counter") { Initial = 41 },
            new Kv.Increment("generic-counter"),
            new Kv.Remove("generic-absent") { Quiet = true },
        };
        var results = await RunToList(Source.From(commands).Via(CouchbaseFlow.Send<Kv.ICommand, KvResult>(c => c, parallelism: 1)));

        Assert.Equal(commands, results.Select(r => r.PassThrough));
        Assert.All(results, r => Assert.True(r.IsSuccess, r.ToString()));
        Assert.Equal("a", Assert.IsType<GetResult>(results[0].Result).ContentAs<string>());
        Assert.Equal(42UL, Assert.IsType<CounterResult>(results[3].Result).Value);
        Assert.NotNull(Server.Bucket.Collection("shop", "orders").Get("generic-b"));

        var multi = await RunToList(Source.Single(new[] { "generic-a", "generic-none" })
            .Via(CouchbaseFlow.Send<string[], MultiResult<GetResult>>(keys => new Kv.GetMulti(keys))));
        var many = Assert.Single(multi).Result!;
        Assert.Equal(KvOutcome.Success, many.Results["generic-a"].Outcome);
        Assert.Equal(KvOutcome.NotFound, many.Results["generic-none"].Outcome);
    }

    [Fact]
    public async Task A_reply_of_another_type_than_the_flow_emits_fails_the_stream()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => RunToList(Source.Single("wrong-type")
            .Via(CouchbaseFlow.Send<string, GetResult>(k => new Kv.Upsert(k, 1)))));
        Assert.Contains("Upsert was answered with MutationResult, not the GetResult", e.Message);
    }

    [Fact]
    public void Bad_settings_are_refused_when_the_flow_is_made()
    {
        var e = Assert.Throws<ArgumentException>(() => CouchbaseFlow.Get(CouchbaseReadSettings.Default.WithParallelism(0)));
        Assert.Contains("Parallelism must be 1 to 4096", e.Message);
        Assert.Contains("ReplicateTo", Assert.Throws<ArgumentException>(() =>
            CouchbaseFlow.Upsert<string>(k => k, k => k, CouchbaseWriteSettings.Default.WithDurability(0, 4))).Message);
        Assert.Contains("Timeout", Assert.Throws<ArgumentException>(() =>
            CouchbaseSink.Remove(CouchbaseWriteSettings.Default.WithTimeout(TimeSpan.Zero))).Message);
    }
}
