using System.Diagnostics;
using Akka.Couchbase.Chaos.Faults;
using Akka.Couchbase.Chaos.Ledger;
using Akka.Couchbase.Chaos.Load;

namespace Akka.Couchbase.Chaos.Report;

/// <summary>A line on stderr every few seconds while the load runs: commands, in flight, faults, violations, heap.</summary>
internal sealed class Progress : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public Progress(Stopwatch clock, LoadRunner load, FaultInjector faults, Violations violations, TextWriter log, TimeSpan every)
    {
        _loop = Task.Run(async () =>
        {
            long previous = 0;
            var previousAt = 0.0;
            try
            {
                while (true)
                {
                    await Task.Delay(every, _stop.Token).ConfigureAwait(false);
                    var sent = load.Sent;
                    var at = clock.Elapsed.TotalSeconds;
                    log.WriteLine($"[{at,7:F2}s] {sent:N0} commands ({(sent - previous) / Math.Max(0.001, at - previousAt):N0}/s), " +
                                  $"{load.Outstanding:N0} in flight, {faults.Applied.Count} fault steps, {violations.Total} violations, " +
                                  $"heap {GC.GetTotalMemory(false) / (1024 * 1024)} MiB");
                    previous = sent;
                    previousAt = at;
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
