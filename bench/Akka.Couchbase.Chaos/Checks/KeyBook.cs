using Akka.Couchbase.Chaos.Ledger;

namespace Akka.Couchbase.Chaos.Checks;

/// <summary>
/// What one sender knows of one key it alone sends commands on: how many it sent, and which reply came last.
/// docs/ordering.md: commands on one key from one sender are executed and answered in the order sent, so each
/// reply's position must be above the last one's. Subclasses check values (appends, registers, counters). Guarded
/// by the owner's lock.
/// </summary>
internal abstract class KeyBook
{
    private int _nextSeq;
    private int _lastSeq = -1;
    private Op _lastOp;
    private Outcome _lastOutcome;
    private object? _lastReply;

    protected KeyBook(string key, string owner)
    {
        Key = key;
        Owner = owner;
    }

    public string Key { get; }
    public string Owner { get; }

    /// <summary>The position of the next command on this key.</summary>
    public int NextSeq() => _nextSeq++;

    public int SentCount => _nextSeq;

    /// <summary>Replies received (one per command sent, when all is well).</summary>
    public int Replies { get; private set; }

    /// <summary>When the last reply came (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public long LastReplyTicks { get; private set; }

    /// <summary>Checks the reply's position, then lets the subclass look at what it says.</summary>
    public void OnReply(Pending p, Outcome outcome, object reply, Violations violations)
    {
        Replies++;
        LastReplyTicks = System.Diagnostics.Stopwatch.GetTimestamp();
        var inOrder = p.OpSeq > _lastSeq;
        if (!inOrder)
            violations.Add(ViolationKind.ReplyOrder,
                $"{Owner} key '{Key}': the reply to op {p.OpSeq} ({Name(p.Op)}, {Outcomes.Name(outcome)}) came after the reply to " +
                $"op {_lastSeq} ({Name(_lastOp)}, {Outcomes.Name(_lastOutcome)}), which was sent later" + Failures(reply, _lastReply),
                $"{Path}: {Class(p.Op)} {Outcomes.Name(outcome)} after a later {Class(_lastOp)} {Outcomes.Name(_lastOutcome)}");
        else
        {
            _lastSeq = p.OpSeq;
            _lastOp = p.Op;
            _lastOutcome = outcome;
            _lastReply = reply;
        }
        Record(p, outcome, reply, inOrder, violations);
    }

    /// <summary>"tell" or "task": which API the owner drives (owners are named tell0, task17, ...).</summary>
    private string Path => Owner.StartsWith("tell", StringComparison.Ordinal) ? "tell" : "task";

    /// <summary>
    /// Looks at what the reply says. <paramref name="inOrder"/> is false when the reply came after a later one's (already
    /// reported): checks that compare it with the replies before it then have nothing sound to compare with.
    /// </summary>
    protected abstract void Record(Pending p, Outcome outcome, object reply, bool inOrder, Violations violations);

    /// <summary>Checks the document read back at the end, once every command on the key was answered.</summary>
    /// <param name="value">The value read; null when the document does not exist.</param>
    public abstract void CheckFinal(byte[]? value, Violations violations);

    protected static string Name(Op op) => op.ToString().ToLowerInvariant();

    /// <summary>What the failures among two replies said (where they came from), for the violation's message.</summary>
    private static string Failures(object earlier, object? later)
    {
        static string? Of(object? reply) => reply is Akka.Actor.Status.Failure { Cause: { } e }
            ? (e.Message.Length <= 160 ? e.Message : e.Message[..160] + "...")
            : null;
        var (a, b) = (Of(earlier), Of(later));
        if (a is null && b is null) return "";
        return $" [{(a is null ? "" : $"the first: {a}")}{(a != null && b != null ? "; " : "")}{(b is null ? "" : $"the later: {b}")}]";
    }

    private static string Class(Op op) => op is Op.Get or Op.GetMulti ? "read" : "mutation";

    protected static string Text(byte[] value) => System.Text.Encoding.UTF8.GetString(value);
}
