using System.Diagnostics;

namespace Akka.Couchbase.Bench;

/// <summary>Prints, once a second, the ops/s of the last second and of the timed part so far.</summary>
internal sealed class ProgressReporter : IAsyncDisposable
{
    private readonly IReadOnlyList<WorkerStats> _stats;
    private readonly TextWriter _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _measureStart;

    public ProgressReporter(IReadOnlyList<WorkerStats> stats, TextWriter log)
    {
        _stats = stats;
        _log = log;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Marks the start of the timed part (for the running average).</summary>
    public void MeasureStarted() => Volatile.Write(ref _measureStart, Stopwatch.GetTimestamp());

    private async Task LoopAsync()
    {
        var started = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        long lastOps = 0, lastTimestamp = started;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                long all = 0, measured = 0, errors = 0;
                foreach (var s in _stats)
                {
                    all += Volatile.Read(ref s.AllOps);
                    measured += Volatile.Read(ref s.Ops);
                    errors += Volatile.Read(ref s.AllErrors);
                }
                var now = Stopwatch.GetTimestamp();
                var rate = (all - lastOps) / ((double)(now - lastTimestamp) / Stopwatch.Frequency);
                lastOps = all;
                lastTimestamp = now;
                var measureStart = Volatile.Read(ref _measureStart);
                var phase = RunClock.CurrentPhase;
                var line = $"[{Stopwatch.GetElapsedTime(started).TotalSeconds,5:F0}s] {(phase == Phase.Warmup ? "warmup" : "run   ")} " +
                           $"{rate,10:F0} ops/s";
                if (phase == Phase.Measure && measureStart != 0)
                    line += $"   so far {measured / ((double)(now - measureStart) / Stopwatch.Frequency),10:F0} ops/s";
                line += $"   errors {errors}";
                _log.WriteLine(line);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
