using System.Text;
using Akka.Actor;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Collections;

/// <summary>
/// Scopes and collections on the in-process cluster over real sockets: documents live in the collection their
/// command names, a collection that does not exist fails clearly, and when a node stops knowing a collection's id
/// (dropped, re-created, or not heard of yet) the client looks it up again and sends the commands again, keeping
/// per-key order and exactly one reply.
/// </summary>
public sealed class CollectionsSpec : EmbeddedClusterSpec
{
    private readonly ITestOutputHelper _output;

    public CollectionsSpec(ITestOutputHelper output) : base(output, "operation-timeout = 10s\n")
    {
        _output = output;
        Bucket.Collections.CreateScope("inventory");
        Bucket.Collections.CreateCollection("inventory", "airline");
        Bucket.Collections.CreateCollection("inventory", "hotel");
    }

    [Fact]
    public async Task Documents_live_in_the_collection_their_command_names()
    {
        var airline = Client.Collection("inventory", "airline");
        Assert.Equal(KvOutcome.Success, (await airline.UpsertAsync("doc", "in airline")).Outcome);
        Assert.Equal(KvOutcome.Success, (await Client.UpsertAsync("doc", "in default")).Outcome);
        Assert.Equal(KvOutcome.NotFound, (await Client.Collection("inventory", "hotel").GetAsync("doc")).Outcome);

        Assert.Equal("in airline", await airline.GetAsync<string>("doc"));
        Assert.Equal("in default", await Client.GetAsync<string>("doc"));
        Assert.Equal("in airline", Encoding.UTF8.GetString(Bucket.Collection("inventory", "airline").Get("doc")!.Value));

        // The message path names the collection on the command.
        var probe = CreateTestProbe();
        Couchbase.Supervisor.Tell(new Kv.Get("doc") { Scope = "inventory", Collection = "airline", CorrelationId = 1 }, probe.Ref);
        Assert.Equal("in airline", (await probe.ExpectMsgAsync<GetResult>()).ContentAs<string>());

        var many = await airline.GetMultiAsync(new[] { "doc", "absent" });
        Assert.Equal(KvOutcome.Success, many.Results["doc"].Outcome);
        Assert.Equal(KvOutcome.NotFound, many.Results["absent"].Outcome);
        Assert.Equal(KvOutcome.Success, (await airline.IncrementAsync("count", initial: 5)).Outcome);
        Assert.Equal(KvOutcome.Success, (await airline.RemoveAsync("doc")).Outcome);
        Assert.Null(Bucket.Collection("inventory", "airline").Get("doc"));
    }

    [Fact]
    public async Task Sub_document_operations_work_in_a_named_collection()
    {
        var hotel = Client.Collection("inventory", "hotel");
        await hotel.UpsertAsync("h1", new { name = "Medway", rooms = new[] { 1, 2 } });
        var changed = await hotel.MutateInAsync("h1", s => s.ArrayAppend("rooms", 3).Upsert("stars", 4));
        Assert.Equal(KvOutcome.Success, changed.Outcome);
        var read = await hotel.LookupInAsync("h1", s => s.Get("name").Count("rooms").Get("stars"));
        Assert.Equal(("Medway", 3, 4), (read.ContentAs<string>(0), read.ContentAs<int>(1), read.ContentAs<int>(2)));
        Assert.Equal(KvOutcome.NotFound, (await Client.LookupInAsync("h1", s => s.Get("name"))).Outcome);
    }

    [Fact]
    public async Task A_collection_that_does_not_exist_fails_naming_it_and_works_once_created()
    {
        var missing = Client.Collection("inventory", "cars");
        var e = await Assert.ThrowsAsync<KvUnknownCollectionException>(() => missing.UpsertAsync("k", "v"));
        Assert.Equal("inventory.cars", e.Collection);
        Assert.Contains("collection inventory.cars does not exist", e.Message);
        var scope = await Assert.ThrowsAsync<KvUnknownCollectionException>(() => Client.Collection("nowhere", "cars").GetAsync("k"));
        Assert.Contains("its scope is not in the bucket's manifest", scope.Message);

        Bucket.Collections.CreateCollection("inventory", "cars");
        Assert.Equal(KvOutcome.Success, (await missing.UpsertAsync("k", "v")).Outcome);
        Assert.Equal("v", await missing.GetAsync<string>("k"));
    }

    [Fact]
    public async Task Durability_is_observed_in_the_named_collection()
    {
        var probe = CreateTestProbe();
        Couchbase.Supervisor.Tell(new Kv.Upsert("durable", "v") { Scope = "inventory", Collection = "hotel", PersistTo = 1, ReplicateTo = 1 }, probe.Ref);
        var reply = await probe.ExpectMsgAsync<MutationResult>(TimeSpan.FromSeconds(10));
        Assert.Equal(KvOutcome.Success, reply.Outcome);
        var observed = await Client.Collection("inventory", "hotel").ObserveAsync("durable");
        Assert.Equal(reply.Cas, observed.Cas);
    }

    [Fact]
    public async Task Ten_thousand_interleaved_appends_stay_in_order_while_the_id_is_refreshed_twice()
    {
        const int count = 10_000;
        var airline = Client.Collection("inventory", "airline");
        await airline.UpsertAsync("log", "");
        await airline.UpsertAsync("other", "");
        var maps = CreateTestProbe();
        Sys.EventStream.Subscribe(maps.Ref, typeof(ClusterMapChanged));
        Cluster.Faults.CommandLog.Start();
        var probes = new[] { CreateTestProbe(), CreateTestProbe() };
        for (var i = 0; i < count; i++)
        {
            var key = i % 3 == 0 ? "other" : "log";
            Couchbase.Supervisor.Tell(new Kv.Append(key, $"{i},") { Scope = "inventory", Collection = "airline", CorrelationId = i },
                probes[i % 2].Ref);
            // Each change of the bucket's collections is a new manifest uid in the map: the client refreshes its ids.
            // Each change is followed before more commands go out, so the two refreshes do not merge into one.
            if (i == 2_000) await ChangeCollectionsAndSeeTheMap("refresh-one");
            if (i == 6_000) await ChangeCollectionsAndSeeTheMap("refresh-two");
        }

        async Task ChangeCollectionsAndSeeTheMap(string name)
        {
            Bucket.Collections.CreateCollection("inventory", name);
            await maps.ExpectMsgAsync<ClusterMapChanged>(TimeSpan.FromSeconds(10));
        }
        var answered = new HashSet<int>();
        foreach (var (probe, parity) in probes.Select((p, i) => (p, i)))
        {
            var lastPerKey = new Dictionary<bool, int> { [true] = -1, [false] = -1 };
            for (var n = 0; n < count / 2; n++)
            {
                var reply = await probe.ExpectMsgAsync<MutationResult>(TimeSpan.FromSeconds(30));
                Assert.Equal(KvOutcome.Success, reply.Outcome);
                var id = (int)reply.CorrelationId!;
                Assert.Equal(parity, id % 2);
                Assert.True(answered.Add(id), $"{id} answered twice");
                var isOther = id % 3 == 0;
                Assert.True(id > lastPerKey[isOther], $"reply {id} after {lastPerKey[isOther]} on the same key");
                lastPerKey[isOther] = id;
            }
        }
        Assert.Equal(count, answered.Count);
        var lookups = Cluster.Faults.CommandLog.Snapshot().Count(r => r.Opcode == Akka.Couchbase.Protocol.Opcode.GetCollectionId);
        Assert.True(lookups >= 2, $"the id was looked up {lookups} times: the two manifest changes were not both followed");
        string Expected(bool other) => string.Concat(Enumerable.Range(0, count).Where(i => (i % 3 == 0) == other).Select(i => $"{i},"));
        Assert.Equal(Expected(false), await airline.GetAsync<string>("log"));
        Assert.Equal(Expected(true), await airline.GetAsync<string>("other"));
    }

    [Fact]
    public async Task A_node_that_does_not_know_the_id_yet_gets_every_command_again_until_it_does()
    {
        const int count = 2_000;
        Cluster.Faults.AnswerUnknownCollection("default", "inventory", "airline", count: 200);
        var probe = CreateTestProbe();
        for (var i = 0; i < count; i++)
            Couchbase.Supervisor.Tell(new Kv.Upsert($"lag{i}", i) { Scope = "inventory", Collection = "airline", CorrelationId = i }, probe.Ref);
        var answered = new HashSet<int>();
        for (var n = 0; n < count; n++)
        {
            var reply = await probe.ExpectMsgAsync<MutationResult>(TimeSpan.FromSeconds(30));
            Assert.Equal(KvOutcome.Success, reply.Outcome);
            Assert.True(answered.Add((int)reply.CorrelationId!));
        }
        Assert.Equal(count, Bucket.Collection("inventory", "airline").Count);
    }

    [Fact]
    public async Task A_recreated_collection_gets_its_new_id_and_the_commands_go_on()
    {
        var hotel = Client.Collection("inventory", "hotel");
        Assert.Equal(KvOutcome.Success, (await hotel.UpsertAsync("before", "v")).Outcome);
        Cluster.Faults.RecreateCollection("default", "inventory", "hotel");
        Assert.Equal(KvOutcome.NotFound, (await hotel.GetAsync("before")).Outcome); // the new collection is empty
        Assert.Equal(KvOutcome.Success, (await hotel.UpsertAsync("after", "v")).Outcome);
        Assert.Equal("v", Encoding.UTF8.GetString(Bucket.Collection("inventory", "hotel").Get("after")!.Value));
    }

    [Fact]
    public async Task Commands_waiting_for_their_collection_id_show_in_diagnostics_and_go_on_once_it_is_known()
    {
        // The id lookups are answered "busy" 30 times: the commands wait while the client asks again every 100 ms
        // (each command within its own 10 s deadline), and go once an answer comes.
        using var busy = Cluster.Faults.ForceStatus(KvStatus.Busy, Opcode.GetCollectionId, count: 30);
        var hotel = Client.Collection("inventory", "hotel");
        var writes = Enumerable.Range(0, 20).Select(i => hotel.UpsertAsync($"waiting-{i}", i)).ToList();

        await AwaitAssertAsync(async () =>
        {
            var diagnostics = await Client.DiagnosticsAsync();
            Assert.Equal(20, diagnostics.HeldForCollectionIds);
            Assert.Equal(0, diagnostics.Backlog);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20));

        Assert.All(await Task.WhenAll(writes), r => Assert.Equal(KvOutcome.Success, r.Outcome));
        Assert.Equal(0, (await Client.DiagnosticsAsync()).HeldForCollectionIds);
        Assert.Equal("19", Encoding.UTF8.GetString(Bucket.Collection("inventory", "hotel").Get("waiting-19")!.Value));
    }

    [Fact]
    public async Task Dropping_a_collection_under_five_hundred_commands_in_flight_answers_each_exactly_once()
    {
        const int count = 500;
        var probe = CreateTestProbe();
        for (var i = 0; i < count; i++)
        {
            Couchbase.Supervisor.Tell(new Kv.Upsert($"k{i % 50}", i) { Scope = "inventory", Collection = "airline", CorrelationId = i }, probe.Ref);
            if (i == count / 2) Bucket.Collections.DropCollection("inventory", "airline");
        }
        var answered = new HashSet<int>();
        var (succeeded, unknown) = (0, 0);
        for (var n = 0; n < count; n++)
        {
            var reply = await probe.ExpectMsgAsync<object>(TimeSpan.FromSeconds(30));
            switch (reply)
            {
                case MutationResult { Outcome: KvOutcome.Success } ok:
                    Assert.True(answered.Add((int)ok.CorrelationId!));
                    succeeded++;
                    break;
                case Status.Failure { Cause: KvUnknownCollectionException e }:
                    Assert.True(answered.Add((int)e.CorrelationId!));
                    Assert.Equal("inventory.airline", e.Collection);
                    unknown++;
                    break;
                default:
                    Assert.Fail($"unexpected reply {reply}");
                    break;
            }
        }
        _output.WriteLine($"{succeeded} applied before the drop, {unknown} refused after it");
        Assert.Equal(count, answered.Count);
        Assert.True(unknown > 0, "no command saw the collection gone");
        var diagnostics = await Client.DiagnosticsAsync();
        Assert.Equal(0, diagnostics.Backlog);
    }
}
