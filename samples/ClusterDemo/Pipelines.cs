using System.Diagnostics;
using Akka.Actor;
using Akka.Couchbase;
using Akka.Couchbase.Streams.Dsl;
using Akka.Couchbase.Streams.Views;
using Akka.Streams;
using Akka.Streams.Dsl;
using Newtonsoft.Json.Linq;

namespace ClusterDemo;

/// <summary>
/// The tour's part on Akka.Streams pipelines: documents streamed through KV flows (a view's rows to their documents,
/// then a summary of each beer written to another bucket, in order, with bounded parallelism), and a view's rows
/// delivered to an actor in acknowledged batches (the original's queryEx row handler).
/// </summary>
internal static class Pipelines
{
    private const int Parallelism = 32;

    public static async Task RunAsync(ActorSystem system, CouchbaseClient client, CouchbaseClient beer, Checks checks)
    {
        var total = (await beer.QueryAllAsync(system, new ViewQuery("beer", "brewery_beers") { Limit = 0 })).TotalRows ?? 0;
        await KvFlowsAsync(system, client, beer, checks, total);
        await ViewIntoActorAsync(system, beer, checks, total);
    }

    /// <summary>brewery_beers rows -> their documents (a Get flow) -> beer summaries upserted into the default bucket (an Upsert flow).</summary>
    private static async Task KvFlowsAsync(ActorSystem system, CouchbaseClient client, CouchbaseClient beer, Checks checks,
        long total)
    {
        long seen = 0, written = 0, failed = 0, outOfOrder = 0;
        string? firstWritten = null;
        var previous = -1L;
        var watch = Stopwatch.StartNew();
        var run = CouchbaseViews.Query(beer, new ViewQuery("beer", "brewery_beers"))
            .ZipWithIndex()
            .Via(CouchbaseFlow.Get<(ViewRow Row, long Index)>(e => e.Row.Id!,
                CouchbaseReadSettings.Default.WithParallelism(Parallelism), beer))
            .Select(read =>
            {
                Interlocked.Increment(ref seen);
                if (read.PassThrough.Index != previous + 1) outOfOrder++;
                previous = read.PassThrough.Index;
                if (read.IsFailure) Interlocked.Increment(ref failed);
                return read;
            })
            .Where(read => read.Result?.IsSuccess == true && read.Result.ContentAs<JObject>()?["type"]?.ToString() == "beer")
            .Via(CouchbaseFlow.Upsert<CouchbaseResult<GetResult, (ViewRow Row, long Index)>>(
                read => "summary:" + read.PassThrough.Row.Id,
                read =>
                {
                    var doc = read.Result!.ContentAs<JObject>()!;
                    return new { name = (string?)doc["name"], brewery = (string?)doc["brewery_id"], abv = (double?)doc["abv"] ?? 0 };
                },
                CouchbaseWriteSettings.Default.WithParallelism(Parallelism), client))
            .RunForeach(w =>
            {
                if (!w.IsSuccess) Interlocked.Increment(ref failed);
                else if (written++ == 0) firstWritten = w.Key;
            }, system.Materializer());
        await Progress.TrackAsync("KV flows: view rows read through a Get flow", total, () => Interlocked.Read(ref seen), run);
        await run;
        var rate = seen / Math.Max(watch.Elapsed.TotalSeconds, 1e-6);
        Console.WriteLine($"KV flows: {seen} documents read in view order, {written} beer summaries written " +
                          $"({Parallelism} in flight per flow, {rate:F0} documents/s), {failed} failed, {outOfOrder} out of order");
        checks.That(seen == total && failed == 0 && outOfOrder == 0,
            "the Get flow read every row's document in the view's order, without a failure");
        // One summary read back through the default bucket: the flow's success is the server's.
        var sample = firstWritten is null ? null : await client.GetAsync(firstWritten);
        checks.That(written > 0 && sample?.IsSuccess == true, "the Upsert flow wrote the beer summaries");
    }

    /// <summary>Every row of the brewery_beers view into an actor, 100 rows a batch, each batch acknowledged.</summary>
    private static async Task ViewIntoActorAsync(ActorSystem system, CouchbaseClient beer, Checks checks, long total)
    {
        var done = new TaskCompletionSource<ViewRowsCompleted>(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new long[1];
        var receiver = system.ActorOf(Props.Create(() => new RowCounter(done, received)), "row-counter");
        var query = new ViewQuery("beer", "brewery_beers");
        var sent = beer.QueryToActor(system, query, receiver);
        await Progress.TrackAsync("View rows into an actor", total, () => Volatile.Read(ref received[0]), done.Task);
        var completed = await done.Task;
        await sent;
        checks.RowsStreamed += completed.Rows;
        Console.WriteLine($"View into an actor: {completed.Rows} rows in {completed.Batches} acknowledged batches, " +
                          $"then ViewRowsCompleted (total_rows {completed.TotalRows})");
        checks.That(completed.Rows == completed.TotalRows && completed.Rows == Volatile.Read(ref received[0]),
            "the actor received every row of the view, then the completion");
        system.Stop(receiver);
    }

    /// <summary>Takes row batches (acknowledging each), and completes with the final message.</summary>
    private sealed class RowCounter : ReceiveActor
    {
        public RowCounter(TaskCompletionSource<ViewRowsCompleted> done, long[] received)
        {
            Receive<ViewRowBatch<ViewRow>>(batch =>
            {
                Volatile.Write(ref received[0], received[0] + batch.Rows.Count);
                Sender.Tell(ViewRowsAck.Instance);
            });
            Receive<ViewRowsCompleted>(c => done.TrySetResult(c));
            Receive<ViewRowsFailed>(f => done.TrySetException(f.Cause));
        }
    }
}
