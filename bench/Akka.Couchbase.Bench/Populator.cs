using System.Diagnostics;

namespace Akka.Couchbase.Bench;

/// <summary>
/// Writes every key of the key space once before the run, so that gets hit: <see cref="Workload.Document"/> (the
/// value, or with <c>--subdoc</c> the JSON document) in the run's collection.
/// </summary>
internal static class Populator
{
    private const int Parallelism = 128;

    /// <summary>Writes the key space; returns how many writes failed.</summary>
    public static async Task<int> RunAsync(CouchbaseCollection collection, Workload workload, TextWriter log)
    {
        var started = Stopwatch.GetTimestamp();
        var next = -1;
        var errors = 0;
        string? firstError = null;
        async Task Loop()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < workload.Keys.Length)
            {
                try
                {
                    await collection.UpsertAsync(workload.Keys[i], workload.Document).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, e.Message, null);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Min(Parallelism, workload.Keys.Length)).Select(_ => Task.Run(Loop)))
            .ConfigureAwait(false);
        log.WriteLine($"populated {workload.Keys.Length} keys of {workload.Value.Length} bytes in {collection.Scope}.{collection.Name} in " +
                      $"{Stopwatch.GetElapsedTime(started).TotalSeconds:F2} s" +
                      (errors > 0 ? $"; {errors} failed, first: {firstError}" : ""));
        return errors;
    }
}
