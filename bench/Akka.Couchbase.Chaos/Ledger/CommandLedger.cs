using System.Diagnostics;

namespace Akka.Couchbase.Chaos.Ledger;

/// <summary>
/// Every command of one sender, by correlation id: the ones still outstanding, and counts of the answered ones by
/// kind and outcome. Ids are handed out in increasing order, so a reply for an id below the next one that is no
/// longer outstanding is a second reply (exactly one reply), without keeping answered commands. Not thread-safe:
/// the owner's lock guards it.
/// </summary>
internal sealed class CommandLedger
{
    private readonly Dictionary<long, Pending> _outstanding = new();
    private readonly long[,] _counts = new long[Enum.GetValues<Op>().Length, Outcomes.All.Length];
    private readonly Violations _violations;
    private readonly string _owner;
    private readonly long _graceTicks;
    private long _nextId = 1;

    public CommandLedger(string owner, Violations violations, TimeSpan grace)
    {
        _owner = owner;
        _violations = violations;
        _graceTicks = (long)(grace.TotalSeconds * Stopwatch.Frequency);
    }

    public LatencyHistogram Latency { get; } = new();
    public int OutstandingCount => _outstanding.Count;
    public long Sent => _nextId - 1;
    public long[,] Counts => _counts;

    public Pending Begin(Op op, string key, Checks.KeyBook? book, int opSeq, int aux, int timeoutMs)
    {
        var p = new Pending(_nextId++, op, key, book, opSeq, aux, Stopwatch.GetTimestamp(), timeoutMs);
        _outstanding.Add(p.Id, p);
        return p;
    }

    /// <summary>
    /// Records the reply for <paramref name="id"/>: the command, or null when the reply is a second one or names no
    /// command (both are violations).
    /// </summary>
    public Pending? Complete(long id, Outcome outcome, object reply)
    {
        if (!_outstanding.Remove(id, out var p))
        {
            if (id > 0 && id < _nextId)
                _violations.Add(ViolationKind.DuplicateReply,
                    $"{_owner}: a second reply for command #{id}: {Describe(reply)}");
            else
                _violations.Add(ViolationKind.UnknownReply, $"{_owner}: a reply for command #{id}, never sent: {Describe(reply)}");
            return null;
        }
        var elapsed = Stopwatch.GetTimestamp() - p.SentTicks;
        Latency.Record(elapsed);
        _counts[(int)p.Op, (int)outcome]++;
        if (p.Overdue)
            _violations.Add(ViolationKind.LateReply,
                $"{_owner}: {p} answered {Seconds(elapsed):F1}s after it was sent (deadline {p.TimeoutMs}ms): {Describe(reply)}");
        return p;
    }

    /// <summary>Marks commands whose reply is overdue (deadline + grace) and returns how many became so now.</summary>
    public int MarkOverdue(long now)
    {
        var count = 0;
        foreach (var p in _outstanding.Values)
        {
            if (p.Overdue) continue;
            var bound = (long)(p.TimeoutMs / 1000.0 * Stopwatch.Frequency) + _graceTicks;
            if (now - p.SentTicks <= bound) continue;
            p.Overdue = true;
            count++;
        }
        return count;
    }

    /// <summary>Reports every command still without a reply (at the end, after the grace period).</summary>
    public void ReportUnanswered()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var p in _outstanding.Values.OrderBy(p => p.Id))
            _violations.Add(ViolationKind.Unanswered,
                $"{_owner}: {p} has no reply {Seconds(now - p.SentTicks):F1}s after it was sent (deadline {p.TimeoutMs}ms)");
    }

    public IReadOnlyCollection<Pending> Outstanding => _outstanding.Values;

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    public static string Describe(object reply) => reply switch
    {
        Akka.Actor.Status.Failure f => $"{f.Cause?.GetType().Name}: {f.Cause?.Message}",
        null => "null",
        _ => reply.ToString() ?? reply.GetType().Name,
    };
}
