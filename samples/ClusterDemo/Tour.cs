using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Couchbase;
using Akka.Couchbase.Streams.Dsl;
using Akka.Couchbase.Streams.Views;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Couchbase.TestKit;

namespace ClusterDemo;

/// <summary>The steps of the demo, each printing what it did.</summary>
public static class Tour
{
    public static async Task RunAsync(ActorSystem system, CouchbaseClient client, InProcessCluster? embedded)
    {
        // Connecting: the original's connect() Deferred.
        var connected = await client.ConnectAsync(TimeSpan.FromSeconds(15));
        Console.WriteLine($"Couchbase Connected! nodes: {string.Join(", ", connected.Nodes)}");

        // Performing operations: set, then get in the continuation.
        var set = await client.UpsertAsync("foo", "bar");
        Console.WriteLine($"Set item {set}");
        var got = await client.GetAsync("foo");
        Console.WriteLine($"Got result {got} value={got.ContentAs<string>()}");

        // Errors: a miss is an outcome, not an exception.
        await client.RemoveAsync("foo", quiet: true);
        var miss = await client.GetAsync("foo");
        if (miss.Outcome == KvOutcome.NotFound) Console.WriteLine("Couldn't fetch foo");

        // Documents as JSON, CAS, counters, locks, multi operations.
        var stored = await client.UpsertAsync("beer:1", new Beer("21A IPA", "21st Amendment", 7.2));
        var stale = await client.ReplaceAsync("beer:1", new Beer("21A IPA", "21st Amendment", 7.3), cas: stored.Cas + 1);
        Console.WriteLine($"Replace with a stale CAS: {stale.Outcome}");
        var beer = await client.GetAsync<Beer>("beer:1");
        Console.WriteLine($"Read back {beer}");
        var counter = await client.IncrementAsync("visits", initial: 100);
        counter = await client.IncrementAsync("visits", delta: 5);
        Console.WriteLine($"Counter visits = {counter.Value}");
        var locked = await client.GetAndLockAsync("beer:1", TimeSpan.FromSeconds(10));
        var blocked = await client.UpsertAsync("beer:1", beer with { Abv = 9.9 });
        Console.WriteLine($"Write while locked: {blocked.Outcome}; unlock: {(await client.UnlockAsync("beer:1", locked.Cas)).Outcome}");
        var many = await client.GetMultiAsync(new[] { "beer:1", "visits", "nope" });
        Console.WriteLine($"getMulti: {string.Join(", ", many.Results.Select(r => $"{r.Key}={r.Value.Outcome}"))}");

        // Ordering: operations on one key keep their order, without waiting for each reply in between.
        var reset = client.UpsertAsync("log", "");
        var appends = Enumerable.Range(0, 100).Select(i => client.AppendAsync("log", $"{i} ")).ToList();
        var log = client.GetAsync<string>("log");
        await Task.WhenAll(appends.Append(reset));
        Console.WriteLine($"100 appends sent back to back read as: {(await log).Substring(0, 20)}... " +
                          $"(in order: {(await log).Trim() == string.Join(" ", Enumerable.Range(0, 100))})");

        // The fast path: Tell with correlation ids to an actor, no Task per operation.
        var done = new TaskCompletionSource<(int Ok, TimeSpan Took)>();
        system.ActorOf(Props.Create(() => new Writer(client.Supervisor, 20_000, done)), "writer");
        var (ok, took) = await done.Task;
        Console.WriteLine($"Tell path: {ok} upserts answered in {took.TotalMilliseconds:F0} ms");

        await CollectionsAndSubDocument.RunAsync(client, embedded);
        await ViewsAsync(system, client);
        if (embedded is not null) await FailoverAsync(system, client, embedded);
    }

    private static async Task ViewsAsync(ActorSystem system, CouchbaseClient client)
    {
        // Views live in the beer-sample bucket: a second client for it, configured like the first.
        var beerSettings = CouchbaseSettings.Create(system.Settings.Config.GetConfig("akka.couchbase")) with { Bucket = "beer-sample" };
        var beer = CouchbaseExtension.Get(system).CreateClient(beerSettings, "beer-sample");
        try
        {
            // queryAll: every row buffered.
            var five = await beer.QueryAllAsync(system, new ViewQuery("beer", "brewery_beers") { Limit = 5 });
            foreach (var row in five.Rows) Console.WriteLine(row);

            // queryEx: rows streamed with backpressure, in batches as they arrive.
            var batches = 0;
            var (metadata, rows) = CouchbaseViews.Query(beer, new ViewQuery("beer", "brewery_beers"))
                .GroupedWithin(500, TimeSpan.FromMilliseconds(5))
                .Select(batch => { batches++; return batch.Count(); })
                .ToMaterialized(Sink.Aggregate<int, int>(0, (sum, n) => sum + n), Keep.Both)
                .Run(system.Materializer());
            var received = await rows;
            Console.WriteLine($"Callback invoked {batches} times. Total of {received} rows received");
            Console.WriteLine($"Indexed Rows:  {(await metadata).TotalRows}");
        }
        catch (ViewQueryException e) when (e.HttpStatus == 404)
        {
            Console.WriteLine($"No beer-sample views here ({e.Reason}): skipping the view queries");
        }
    }

    private static async Task FailoverAsync(ActorSystem system, CouchbaseClient client, InProcessCluster cluster)
    {
        var maps = new List<ClusterMapChanged>();
        var listener = system.ActorOf(Props.Create(() => new MapListener(maps)), "map-listener");
        system.EventStream.Subscribe(listener, typeof(ClusterMapChanged));

        var keys = Enumerable.Range(0, 200).Select(i => $"user::{i}").ToList();
        await client.UpsertMultiAsync(keys.ToDictionary(k => k, k => (object?)new { name = k }));
        var durable = await client.SendAsync<MutationResult>(new Kv.Upsert(keys[0], new { name = keys[0], durable = true })
            { PersistTo = 1, ReplicateTo = 1 });
        Console.WriteLine($"Durable upsert (persist_to=1, replicate_to=1) of {keys[0]}: {durable.Outcome}; " +
                          $"observe: {await client.ObserveAsync(keys[0])}");
        var replica = await client.GetReplicaAsync(keys[0]);
        Console.WriteLine($"Replica read (rget) of {keys[0]}: {replica.Outcome}, {System.Text.Encoding.UTF8.GetString(replica.RawValue.Span)}");
        cluster.Faults.Failover(1);
        Console.WriteLine("Node 1 failed over; reading every key again...");
        var read = await client.GetMultiAsync(keys);
        Console.WriteLine($"After failover: {read.Results.Values.Count(r => r.IsSuccess)} of {keys.Count} keys read, " +
                          $"{read.Failures.Count} failures");
        await Task.Delay(200);
        Console.WriteLine($"Cluster maps seen: {string.Join(" -> ", maps.Select(m => $"rev {m.Revision} ({m.Nodes.Count} nodes)"))}");
    }

    private sealed record Beer(string Name, string Brewery, double Abv);

    private sealed class MapListener : ReceiveActor
    {
        public MapListener(List<ClusterMapChanged> maps) => Receive<ClusterMapChanged>(m => { lock (maps) maps.Add(m); });
    }

    /// <summary>Keeps 64 upserts in flight with Tell and counts the replies.</summary>
    private sealed class Writer : ReceiveActor
    {
        private readonly IActorRef _supervisor;
        private readonly int _total;
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private int _sent, _answered, _ok;

        public Writer(IActorRef supervisor, int total, TaskCompletionSource<(int, TimeSpan)> done)
        {
            _supervisor = supervisor;
            _total = total;
            var value = new byte[256];
            Receive<MutationResult>(r => Answered(r.IsSuccess, value, done));
            Receive<Status.Failure>(_ => Answered(false, value, done));
            for (var i = 0; i < 64; i++) Send(value);
        }

        private void Answered(bool ok, byte[] value, TaskCompletionSource<(int, TimeSpan)> done)
        {
            _answered++;
            if (ok) _ok++;
            if (_sent < _total) Send(value);
            else if (_answered == _total) done.TrySetResult((_ok, _watch.Elapsed));
        }

        private void Send(byte[] value)
        {
            _supervisor.Tell(new Kv.Upsert($"fast:{_sent % 1000}", value) { CorrelationId = _sent }, Self);
            _sent++;
        }
    }
}
