using System.Diagnostics;

namespace Akka.Couchbase.Chaos.Ledger;

/// <summary>The kinds of broken contract the harness reports.</summary>
internal enum ViolationKind
{
    /// <summary>A second reply for one command (exactly one reply).</summary>
    DuplicateReply,
    /// <summary>A reply whose correlation id names no command that was sent.</summary>
    UnknownReply,
    /// <summary>No reply by the end of the grace period (exactly one reply).</summary>
    Unanswered,
    /// <summary>A reply later than the command's deadline plus the grace.</summary>
    LateReply,
    /// <summary>Replies for one key, from one sender, out of send order (per-key order).</summary>
    ReplyOrder,
    /// <summary>A document whose appends are out of order or duplicated (per-key order).</summary>
    AppendOrder,
    /// <summary>An acknowledged write missing from what was read back (no acknowledged write lost).</summary>
    LostWrite,
    /// <summary>A write the client reported as not applied (never written, refused) that took effect anyway.</summary>
    PhantomWrite,
    /// <summary>A read that saw an older value than one already acknowledged, or a value from the future.</summary>
    StaleRead,
    /// <summary>A counter value inconsistent with the increments acknowledged.</summary>
    CounterValue,
    /// <summary>A document that cannot be read back or reads back as something else than what the server stores.</summary>
    ReadBack,
    /// <summary>The managed heap above its bound, or growing steadily.</summary>
    Memory,
    /// <summary>The client or cluster did not come back after the faults were healed.</summary>
    Recovery,
    /// <summary>A reply of a type the command cannot have.</summary>
    UnexpectedReply,
    /// <summary>The harness itself failed (an exception in its own code): the run cannot be trusted.</summary>
    HarnessError,
}

/// <summary>
/// Every violation seen, counted by kind and, within a kind, by pattern (e.g. "tell: get success after upsert
/// ambiguous" for replies out of order), so that one root cause can be told from another. The first ones of each
/// kind, and the first few of each pattern, are kept with their message and time (a flood of one does not hide the
/// others).
/// </summary>
internal sealed class Violations
{
    private const int KeptPerKind = 12;
    private const int KeptPerPattern = 3;
    private readonly object _sync = new();
    private readonly long[] _counts = new long[Enum.GetValues<ViolationKind>().Length];
    private readonly Dictionary<(ViolationKind Kind, string Pattern), long> _patterns = new();
    private readonly List<(double At, ViolationKind Kind, string Message)> _first = new();
    private readonly Stopwatch _clock;

    public Violations(Stopwatch clock) => _clock = clock;

    public void Add(ViolationKind kind, string message, string? pattern = null)
    {
        lock (_sync)
        {
            var keep = ++_counts[(int)kind] <= KeptPerKind;
            if (pattern != null)
            {
                var n = _patterns[(kind, pattern)] = _patterns.GetValueOrDefault((kind, pattern)) + 1;
                keep |= n <= KeptPerPattern;
            }
            if (keep) _first.Add((_clock.Elapsed.TotalSeconds, kind, message));
        }
    }

    public long Total
    {
        get { lock (_sync) return _counts.Sum(); }
    }

    public IReadOnlyList<(ViolationKind Kind, long Count)> Counts
    {
        get
        {
            lock (_sync)
                return Enum.GetValues<ViolationKind>().Where(k => _counts[(int)k] > 0).Select(k => (k, _counts[(int)k])).ToList();
        }
    }

    /// <summary>Counts by pattern, most frequent first.</summary>
    public IReadOnlyList<(ViolationKind Kind, string Pattern, long Count)> Patterns
    {
        get
        {
            lock (_sync)
                return _patterns.OrderBy(p => p.Key.Kind).ThenByDescending(p => p.Value)
                    .Select(p => (p.Key.Kind, p.Key.Pattern, p.Value)).ToList();
        }
    }

    /// <summary>The first violations of each kind (and pattern), kind by kind, each kind's in the order seen.</summary>
    public IReadOnlyList<(double At, ViolationKind Kind, string Message)> First
    {
        get { lock (_sync) return _first.OrderBy(v => v.Kind).ToList(); }
    }

    public const int Kept = KeptPerKind;
    public const int KeptOfEachPattern = KeptPerPattern;
}
