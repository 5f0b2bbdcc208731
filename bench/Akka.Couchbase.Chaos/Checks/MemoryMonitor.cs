using System.Diagnostics;
using Akka.Couchbase.Chaos.Ledger;

namespace Akka.Couchbase.Chaos.Checks;

/// <summary>
/// Samples the process's memory four times a second: the managed heap (peak), the working set (peak), and the heap
/// left after each full (gen 2) collection, the live data. At the end: the managed heap after a forced full
/// collection must stay under <c>--max-heap</c>, and the live data must not grow steadily through the run (each
/// quarter's lowest post-gen-2 heap above the previous quarter's, the last more than double the first and 64 MiB
/// above it).
/// </summary>
internal sealed class MemoryMonitor : IAsyncDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly Stopwatch _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(double At, long Live)> _afterFullGc = new();
    private readonly Task _loop;
    private long _lastGen2Index = -1;

    public MemoryMonitor(Stopwatch clock)
    {
        _clock = clock;
        _loop = Task.Run(LoopAsync);
    }

    public long PeakManaged { get; private set; }
    public long PeakWorkingSet { get; private set; }
    public long BaselineLive { get; private set; }
    public long EndLive { get; private set; }
    public int FullCollections => _afterFullGc.Count;
    public IReadOnlyList<long> QuarterMinima { get; private set; } = Array.Empty<long>();

    /// <summary>The managed heap after a forced full collection.</summary>
    public static long LiveNow()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Takes the baseline, after the set-up and before the load.</summary>
    public void MarkBaseline() => BaselineLive = LiveNow();

    private async Task LoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                Sample();
                await Task.Delay(250, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Sample()
    {
        var managed = GC.GetTotalMemory(false);
        var workingSet = Environment.WorkingSet;
        lock (_afterFullGc)
        {
            PeakManaged = Math.Max(PeakManaged, managed);
            PeakWorkingSet = Math.Max(PeakWorkingSet, workingSet);
            foreach (var kind in new[] { GCKind.FullBlocking, GCKind.Background })
            {
                var info = GC.GetGCMemoryInfo(kind);
                if (info.Index <= _lastGen2Index || info.Index == 0) continue;
                _lastGen2Index = info.Index;
                _afterFullGc.Add((_clock.Elapsed.TotalSeconds, info.HeapSizeBytes - info.FragmentedBytes));
            }
        }
    }

    /// <summary>Stops sampling, measures the heap after a full collection, and reports what breaks the bounds.</summary>
    public async Task CheckAsync(double runSeconds, int maxHeapMiB, Violations violations)
    {
        _stop.Cancel();
        await _loop.ConfigureAwait(false);
        Sample();
        EndLive = LiveNow();
        if (EndLive > maxHeapMiB * MiB)
            violations.Add(ViolationKind.Memory,
                $"the managed heap after a full collection is {EndLive / MiB} MiB, above the bound of {maxHeapMiB} MiB");
        List<(double At, long Live)> samples;
        lock (_afterFullGc) samples = _afterFullGc.Where(s => s.At <= runSeconds).ToList();
        var quarters = Enumerable.Range(0, 4)
            .Select(q => samples.Where(s => s.At >= runSeconds * q / 4 && s.At < runSeconds * (q + 1) / 4).Select(s => s.Live).ToList())
            .ToList();
        if (quarters.All(q => q.Count > 0))
        {
            QuarterMinima = quarters.Select(q => q.Min()).ToList();
            var m = QuarterMinima;
            if (m[0] < m[1] && m[1] < m[2] && m[2] < m[3] && m[3] > 2 * m[0] && m[3] - m[0] > 64 * MiB)
                violations.Add(ViolationKind.Memory,
                    $"the live heap grows steadily: lowest after a full collection per quarter of the run {string.Join(" < ", m.Select(v => $"{v / MiB} MiB"))}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
