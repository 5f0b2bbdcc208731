namespace Akka.Couchbase.Bench;

/// <summary>
/// What one worker (a driver actor or an async loop) measured. Written only by its worker; the progress reporter
/// reads the counters without locks (64-bit reads are atomic), and the histograms are merged after the run.
/// </summary>
internal sealed class WorkerStats
{
    /// <summary>Latency of each command completed while <see cref="Phase.Measure"/>.</summary>
    public readonly LatencyHistogram Latency = new();
    /// <summary>Ops (keys) completed in any phase, for the progress line.</summary>
    public long AllOps;
    /// <summary>Ops (keys) completed while measuring.</summary>
    public long Ops;
    /// <summary>Commands completed while measuring.</summary>
    public long Commands;
    /// <summary>Failures while measuring: failed commands, plus failed keys inside multi-gets.</summary>
    public long Errors;
    /// <summary>Failures in any phase, for the progress line.</summary>
    public long AllErrors;
    /// <summary>Gets answered NotFound while measuring (single gets only).</summary>
    public long Misses;
    /// <summary>Tell mode: commands that got no reply within their deadline plus a margin (should stay 0).</summary>
    public long Lost;
    /// <summary>Tell mode: failures whose correlation id was missing or foreign (should stay 0).</summary>
    public long Unattributed;
    /// <summary>The first failure message seen, for the report.</summary>
    public string? FirstError;

    /// <summary>Accounts one completed command that started at <paramref name="startTimestamp"/>.</summary>
    public void Completed(long startTimestamp, int keys, int errors, bool miss)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        AllOps += keys;
        AllErrors += errors;
        if (RunClock.CurrentPhase != Phase.Measure) return;
        Latency.Record(RunClock.TicksToNanoseconds(now - startTimestamp));
        Ops += keys;
        Commands++;
        Errors += errors;
        if (miss) Misses++;
    }

    /// <summary>Accounts one failed command.</summary>
    public void Failed(long startTimestamp, Exception? cause)
    {
        FirstError ??= cause?.Message ?? "failure without a cause";
        Completed(startTimestamp, 0, 1, false);
    }
}

/// <summary>The phases of a run, in order.</summary>
internal enum Phase
{
    Warmup,
    Measure,
    Stop,
}

/// <summary>The run's phase, shared by every worker, and time conversions.</summary>
internal static class RunClock
{
    private static readonly double NanosecondsPerTick = 1e9 / System.Diagnostics.Stopwatch.Frequency;
    private static volatile Phase _phase = Phase.Warmup;

    public static Phase CurrentPhase => _phase;

    public static void Enter(Phase phase) => _phase = phase;

    public static long TicksToNanoseconds(long ticks) => (long)(ticks * NanosecondsPerTick);
}
