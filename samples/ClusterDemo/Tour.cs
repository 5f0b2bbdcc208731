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
    public static async Task RunAsync(ActorSystem system, CouchbaseClient client, InProcessCluster? embedded, Checks checks,
        bool realBeerSample)
    {
        // Connecting: the original's connect() Deferred.
        var connected = await client.ConnectAsync(TimeSpan.FromSeconds(15));
        Console.WriteLine($"Couchbase Connected! nodes: {string.Join(", ", connected.Nodes)}");

        // Performing operations: set, then get in the continuation.
        var set = await client.UpsertAsync("foo", "bar");
        Console.WriteLine($"Set item {set}");
        var got = await client.GetAsync("foo");
        Console.WriteLine($"Got result {got} value={got.ContentAs<string>()}");
        checks.That(got.ContentAs<string>() == "bar", "set then get round-trips foo=bar");

        // Errors: a miss is an outcome, not an exception.
        await client.RemoveAsync("foo", quiet: true);
        var miss = await client.GetAsync("foo");
        if (miss.Outcome == KvOutcome.NotFound) Console.WriteLine("Couldn't fetch foo");
        checks.That(miss.Outcome == KvOutcome.NotFound, "a removed document is a NotFound outcome");

        // Documents as JSON, CAS, counters, locks, multi operations.
        var stored = await client.UpsertAsync("beer:1", new Beer("21A IPA", "21st Amendment", 7.2));
        var stale = await client.ReplaceAsync("beer:1", new Beer("21A IPA", "21st Amendment", 7.3), cas: stored.Cas + 1);
        Console.WriteLine($"Replace with a stale CAS: {stale.Outcome}");
        checks.That(stale.Outcome == KvOutcome.CasMismatch, "a stale CAS is refused");
        var beer = await client.GetAsync<Beer>("beer:1");
        Console.WriteLine($"Read back {beer}");
        var counter = await client.IncrementAsync("visits", initial: 100);
        counter = await client.IncrementAsync("visits", delta: 5);
        Console.WriteLine($"Counter visits = {counter.Value}");
        checks.That(counter.Value == 105, "the counter reads 105");
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
        var inOrder = (await log).Trim() == string.Join(" ", Enumerable.Range(0, 100));
        Console.WriteLine($"100 appends sent back to back read as: {(await log).Substring(0, 20)}... (in order: {inOrder})");
        checks.That(inOrder, "100 appends to one key landed in the order they were sent");

        // The fast path: Tell with correlation ids to an actor, no Task per operation.
        var done = new TaskCompletionSource<(int Ok, TimeSpan Took)>();
        var answered = new int[1];
        system.ActorOf(Props.Create(() => new Writer(client.Supervisor, 20_000, done, answered)), "writer");
        // Every command gets exactly one reply: one that never comes shows here as a lost reply, not as a hang.
        var waited = Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        await Progress.TrackAsync("Tell path: upserts answered", 20_000, () => Volatile.Read(ref answered[0]), waited);
        var finished = await waited;
        checks.LostReplies += finished == done.Task ? 0 : 20_000 - Volatile.Read(ref answered[0]);
        var (ok, took) = finished == done.Task ? await done.Task : (0, TimeSpan.FromSeconds(60));
        checks.That(checks.LostReplies == 0, "every tell-path command got its reply");
        checks.That(ok == 20_000, "every upsert of the tell path succeeded");

        // The convenient path: the same upserts as Tasks, 64 in flight, side by side with the fast path.
        var value = new byte[256];
        var taskWatch = Stopwatch.StartNew();
        var taskOk = 0;
        var taskDone = 0;
        var taskPath = Task.WhenAll(Enumerable.Range(0, 64).Select(async lane =>
        {
            for (var i = lane; i < 20_000; i += 64)
            {
                if ((await client.UpsertAsync($"fast:{i % 1000}", value)).IsSuccess) Interlocked.Increment(ref taskOk);
                Interlocked.Increment(ref taskDone);
            }
        }));
        await Progress.TrackAsync("Task path: upserts answered", 20_000, () => Volatile.Read(ref taskDone), taskPath);
        await taskPath;
        var taskTook = taskWatch.Elapsed;
        var tellRate = ok / Math.Max(took.TotalSeconds, 1e-6);
        var taskRate = taskOk / Math.Max(taskTook.TotalSeconds, 1e-6);
        Console.WriteLine($"Tell path: {ok} upserts in {took.TotalMilliseconds:F0} ms ({tellRate:F0} ops/s); " +
                          $"Task path: {taskOk} in {taskTook.TotalMilliseconds:F0} ms ({taskRate:F0} ops/s); " +
                          $"task/tell = {taskRate / Math.Max(tellRate, 1e-6):F2}");
        checks.That(taskOk == 20_000, "every upsert of the Task path succeeded");

        await CollectionsAndSubDocument.RunAsync(client, embedded, checks);
        await ViewsAsync(system, client, checks, realBeerSample);
        if (embedded is not null) await FailoverAsync(system, client, embedded, checks);
    }

    private static async Task ViewsAsync(ActorSystem system, CouchbaseClient client, Checks checks, bool realBeerSample)
    {
        // Views live in the beer-sample bucket: a second client for it, configured like the first.
        var beerSettings = CouchbaseSettings.Create(system.Settings.Config.GetConfig("akka.couchbase")) with { Bucket = "beer-sample" };
        var beer = CouchbaseExtension.Get(system).CreateClient(beerSettings, "beer-sample");
        try
        {
            // queryAll: every row buffered.
            var five = await beer.QueryAllAsync(system, new ViewQuery("beer", "brewery_beers") { Limit = 5 });
            foreach (var row in five.Rows) Console.WriteLine(row);
            checks.That(five.Rows.Count == 5, "queryAll with limit 5 returns 5 rows");
            if (realBeerSample)
                checks.That(five.Rows[0].Id == "21st_amendment_brewery_cafe" && five.Rows[4].Id == "21st_amendment_brewery_cafe-bitter_american",
                    "the first five rows are the ones the original printed");

            // queryEx: rows streamed with backpressure, in batches as they arrive.
            var batches = 0;
            var (metadata, rows) = CouchbaseViews.Query(beer, new ViewQuery("beer", "brewery_beers"))
                .GroupedWithin(500, TimeSpan.FromMilliseconds(5))
                .Select(batch => { batches++; return batch.Count(); })
                .ToMaterialized(Sink.Aggregate<int, int>(0, (sum, n) => sum + n), Keep.Both)
                .Run(system.Materializer());
            var received = await rows;
            var total = (await metadata).TotalRows;
            checks.RowsStreamed += received;
            Console.WriteLine($"Callback invoked {batches} times. Total of {received} rows received");
            Console.WriteLine($"Indexed Rows:  {total}");
            checks.That(received == total, "the stream delivered every row the view indexed");
            if (realBeerSample) checks.That(total == 7303, "the view indexed the 7,303 rows the original printed");

            await Pipelines.RunAsync(system, client, beer, checks);
        }
        catch (ViewQueryException e) when (e.HttpStatus == 404)
        {
            Console.WriteLine($"No beer-sample views here ({e.Reason}): skipping the view queries");
            checks.That(!realBeerSample, "the beer-sample views exist");
        }
    }

    private static async Task FailoverAsync(ActorSystem system, CouchbaseClient client, InProcessCluster cluster, Checks checks)
    {
        var before = client.CurrentMap;
        var nodesBefore = before?.Nodes.Count ?? 0;
        var smaller = new TaskCompletionSource<ClusterMapChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        var supervisor = client.Supervisor;
        var listener = system.ActorOf(Props.Create(() => new MapListener(supervisor, nodesBefore, smaller)), "map-listener");
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
        var readOk = read.Results.Values.Count(r => r.IsSuccess);
        Console.WriteLine($"After failover: {readOk} of {keys.Count} keys read, {read.Failures.Count} failures");
        checks.That(readOk == keys.Count, "every key was read after the failover");
        var after = await smaller.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var left = before is null ? new List<string>() : before.Nodes.Except(after.Nodes).ToList();
        Console.WriteLine($"Cluster map: rev {before?.Revision} ({before?.Nodes.Count} nodes) -> rev {after.Revision} " +
                          $"({after.Nodes.Count} nodes): {string.Join(", ", left)} left the map");
        checks.That(after.Nodes.Count == (before?.Nodes.Count ?? 0) - 1, "the failed-over node left the map");
    }

    private sealed record Beer(string Name, string Brewery, double Abv);

    /// <summary>Completes with the first map of this client with fewer nodes than it had before the failover.</summary>
    private sealed class MapListener : ReceiveActor
    {
        public MapListener(IActorRef supervisor, int nodesBefore, TaskCompletionSource<ClusterMapChanged> smaller) =>
            Receive<ClusterMapChanged>(m =>
            {
                if (m.Supervisor.Equals(supervisor) && m.Nodes.Count < nodesBefore) smaller.TrySetResult(m);
            });
    }

    /// <summary>Keeps 64 upserts in flight with Tell and counts the replies.</summary>
    private sealed class Writer : ReceiveActor
    {
        private readonly IActorRef _supervisor;
        private readonly int _total;
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private int _sent, _answered, _ok;

        private readonly int[] _answeredOut;

        public Writer(IActorRef supervisor, int total, TaskCompletionSource<(int, TimeSpan)> done, int[] answered)
        {
            _answeredOut = answered;
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
            Volatile.Write(ref _answeredOut[0], _answered);
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
