using System.Globalization;
using System.Text.Json;
using Akka.Couchbase.Chaos.Checks;
using Akka.Couchbase.Chaos.Faults;
using Akka.Couchbase.Chaos.Ledger;
using Akka.Couchbase.Chaos.Load;

namespace Akka.Couchbase.Chaos.Report;

/// <summary>What the run did and found: the text report, the JSON line, and the verdict line.</summary>
internal sealed class ChaosReport
{
    private const double MiB = 1024 * 1024;
    private readonly ChaosOptions _options;
    private readonly LoadRunner _load;
    private readonly IReadOnlyList<AppliedStep> _faults;
    private readonly Violations _violations;
    private readonly MemoryMonitor _memory;
    private readonly ReadBack _readBack;
    private readonly (int Keys, long Acked, long NotApplied, long Unknown) _retired;
    private readonly double _loadSeconds;
    private readonly string _commit;
    private readonly long[,] _counts;
    private readonly LatencyHistogram _latency = new();
    private readonly long _tellSent;
    private readonly long _taskSent;

    public ChaosReport(ChaosOptions options, LoadRunner load, IReadOnlyList<AppliedStep> faults, Violations violations,
        MemoryMonitor memory, ReadBack readBack, (int Keys, long Acked, long NotApplied, long Unknown) retired,
        double loadSeconds, string commit)
    {
        _options = options;
        _load = load;
        _faults = faults;
        _violations = violations;
        _memory = memory;
        _readBack = readBack;
        _retired = retired;
        _loadSeconds = loadSeconds;
        _commit = commit;
        _counts = new long[Enum.GetValues<Op>().Length, Outcomes.All.Length];
        foreach (var owner in load.Owners)
        {
            lock (owner.Sync)
            {
                for (var op = 0; op < _counts.GetLength(0); op++)
                    for (var o = 0; o < _counts.GetLength(1); o++)
                        _counts[op, o] += owner.Ledger.Counts[op, o];
                _latency.Add(owner.Ledger.Latency);
            }
        }
        _tellSent = load.TellOwners.Sum(o => { lock (o.Sync) return o.Ledger.Sent; });
        _taskSent = load.TaskOwners.Sum(o => { lock (o.Sync) return o.Ledger.Sent; });
    }

    public long Commands => _tellSent + _taskSent;
    public bool Passed => _violations.Total == 0;

    private long Count(Outcome o) => Enumerable.Range(0, _counts.GetLength(0)).Sum(op => _counts[op, (int)o]);

    public void WriteText(TextWriter w)
    {
        var o = _options;
        w.WriteLine($"chaos: seed {o.EffectiveSeed}, {_loadSeconds:F0}s of load, {o.Nodes} nodes, {o.InFlight} in flight " +
                    $"({o.TellInFlight} tell over {_load.TellOwners.Count} actors, {o.TaskInFlight} task over {_load.TaskOwners.Count} lanes), " +
                    $"{o.Keys} keys, a fault every {o.FaultIntervalSeconds}s on average, timeout {o.TimeoutMs}ms, commit {_commit}");

        var episodes = _faults.Where(f => f.Step.StartsFault).GroupBy(f => f.Step.Fault).OrderByDescending(g => g.Count())
            .Select(g => $"{g.Key} {g.Count()}");
        w.WriteLine($"faults: {_faults.Count(f => f.Step.StartsFault)} ({string.Join(", ", episodes)}); {_faults.Count} steps:");
        foreach (var f in _faults)
            w.WriteLine($"  {f.At,8:F2}s  {f.Step.Action}{(f.Error is null ? "" : $"  FAILED: {f.Error}")}");

        w.WriteLine($"commands: {Commands:N0} ({_tellSent:N0} tell, {_taskSent:N0} task), {Commands / Math.Max(1, _loadSeconds):N0}/s; " +
                    $"latency p50 {_latency.PercentileMilliseconds(0.5):F1}ms p99 {_latency.PercentileMilliseconds(0.99):F1}ms " +
                    $"max {_latency.MaxMilliseconds:F0}ms");
        var columns = Outcomes.All.Where(x => x != Outcome.Pending && Count(x) > 0).ToList();
        w.WriteLine("  " + "kind".PadRight(11) + "total".PadLeft(11) + string.Concat(columns.Select(c => Outcomes.Name(c).PadLeft(12))));
        foreach (var op in Enum.GetValues<Op>())
        {
            var total = columns.Sum(c => _counts[(int)op, (int)c]);
            if (total == 0) continue;
            w.WriteLine("  " + Name(op).PadRight(11) + total.ToString("N0", CultureInfo.InvariantCulture).PadLeft(11) +
                        string.Concat(columns.Select(c => _counts[(int)op, (int)c].ToString("N0", CultureInfo.InvariantCulture).PadLeft(12))));
        }
        w.WriteLine($"  ambiguous {Count(Outcome.Ambiguous):N0}, timeouts {Count(Outcome.Timeout):N0}, unavailable {Count(Outcome.Unavailable):N0}, " +
                    $"temporary errors {Count(Outcome.Temporary):N0}, overloaded {Count(Outcome.Overloaded):N0}");
        var r = _readBack;
        var t = _retired;
        w.WriteLine($"checked: {t.Keys + r.AppendKeys:N0} append keys ({t.Keys:N0} as they filled up, {r.AppendKeys:N0} read back at the end; " +
                    $"{t.Acked + r.AppendsAcked:N0} appends acknowledged, {t.Unknown + r.AppendsUnknown:N0} unknown, " +
                    $"{t.NotApplied + r.AppendsNotApplied:N0} not applied), {r.RegisterKeys:N0} registers, {r.CounterKeys:N0} counters read back; " +
                    $"every node connected again {r.RecoverySeconds:F1}s after the last reply");
        var m = _memory;
        w.WriteLine($"memory: peak managed heap {m.PeakManaged / MiB:F0} MiB, peak working set {m.PeakWorkingSet / MiB:F0} MiB, " +
                    $"live heap {m.BaselineLive / MiB:F0} MiB before the load, {m.EndLive / MiB:F0} MiB at the end (bound {_options.MaxHeapMiB} MiB); " +
                    $"{m.FullCollections} full collections" +
                    (m.QuarterMinima.Count == 4 ? $", lowest live heap per quarter {string.Join(" / ", m.QuarterMinima.Select(v => $"{v / MiB:F0}"))} MiB" : ""));

        var counts = _violations.Counts;
        if (counts.Count > 0)
        {
            w.WriteLine($"violations: {_violations.Total} ({string.Join(", ", counts.Select(c => $"{Kebab(c.Kind)} {c.Count}"))}); " +
                        $"the first {Violations.Kept} of each kind (and {Violations.KeptOfEachPattern} of each pattern):");
            var patterns = _violations.Patterns;
            foreach (var (kind, pattern, count) in patterns)
                w.WriteLine($"  {Kebab(kind)}: {count} x {pattern}");
            foreach (var (at, kind, message) in _violations.First)
                w.WriteLine($"  [{at,7:F2}s] {Kebab(kind)}: {message}");
        }
    }

    public string VerdictLine()
    {
        var counts = _violations.Counts;
        return Passed
            ? $"chaos: PASS {Commands} commands, 0 violations"
            : $"chaos: FAIL {Commands} commands, {_violations.Total} violations ({string.Join(", ", counts.Select(c => $"{Kebab(c.Kind)} {c.Count}"))})";
    }

    public string ToJson() => JsonSerializer.Serialize(new
    {
        verdict = Passed ? "pass" : "fail",
        seed = _options.EffectiveSeed,
        commit = _commit,
        duration_s = Math.Round(_loadSeconds, 1),
        nodes = _options.Nodes,
        in_flight = _options.InFlight,
        keys = _options.Keys,
        commands = Commands,
        tell_commands = _tellSent,
        task_commands = _taskSent,
        outcomes = Outcomes.All.Where(x => x != Outcome.Pending).ToDictionary(Outcomes.Name, Count),
        by_kind = Enum.GetValues<Op>().ToDictionary(Name,
            op => Outcomes.All.Where(x => x != Outcome.Pending && _counts[(int)op, (int)x] > 0).ToDictionary(Outcomes.Name, x => _counts[(int)op, (int)x])),
        latency_ms = new
        {
            p50 = _latency.PercentileMilliseconds(0.5),
            p99 = _latency.PercentileMilliseconds(0.99),
            max = Math.Round(_latency.MaxMilliseconds, 1),
        },
        faults = _faults.Where(f => f.Step.StartsFault).GroupBy(f => f.Step.Fault).ToDictionary(g => g.Key, g => g.Count()),
        fault_steps = _faults.Select(f => new { at_s = Math.Round(f.At, 2), fault = f.Step.Fault, action = f.Step.Action, error = f.Error }),
        checked_keys = new
        {
            append_keys = _retired.Keys + _readBack.AppendKeys,
            append_keys_checked_during_run = _retired.Keys,
            appends_acknowledged = _retired.Acked + _readBack.AppendsAcked,
            appends_unknown = _retired.Unknown + _readBack.AppendsUnknown,
            appends_not_applied = _retired.NotApplied + _readBack.AppendsNotApplied,
            registers = _readBack.RegisterKeys,
            counters = _readBack.CounterKeys,
        },
        memory_mib = new
        {
            peak_managed = Math.Round(_memory.PeakManaged / MiB, 1),
            peak_working_set = Math.Round(_memory.PeakWorkingSet / MiB, 1),
            live_before = Math.Round(_memory.BaselineLive / MiB, 1),
            live_end = Math.Round(_memory.EndLive / MiB, 1),
            bound = _options.MaxHeapMiB,
        },
        violations = _violations.Counts.ToDictionary(c => Kebab(c.Kind), c => c.Count),
        violation_patterns = _violations.Patterns.Select(p => new { kind = Kebab(p.Kind), pattern = p.Pattern, count = p.Count }),
        first_violations = _violations.First.Select(v => new { at_s = Math.Round(v.At, 2), kind = Kebab(v.Kind), message = v.Message }),
    });

    private static string Name(Op op) => op == Op.GetMulti ? "get-multi" : op.ToString().ToLowerInvariant();

    private static string Kebab(ViolationKind kind) =>
        string.Concat(kind.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
