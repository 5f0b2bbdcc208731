using System.Globalization;
using Akka.Couchbase.Chaos.Ledger;

namespace Akka.Couchbase.Chaos.Checks;

/// <summary>
/// A counter key: stored as "0" before the load, then only incremented by 1 by its owner, pipelined. Each
/// acknowledged increment's value must be above the previous one's (they execute in order), at least the number
/// acknowledged so far and at most the number sent so far; at the end the counter must lie between the acknowledged
/// increments and those plus the unknown ones (ambiguous, timed out, unanswered).
/// </summary>
internal sealed class CounterBook : KeyBook
{
    private int _sent;
    private long _acked;
    private long _notApplied;
    private ulong _lastValue;

    public CounterBook(string key, string owner) : base(key, owner) { }

    public long Acked => _acked;

    /// <summary>Counts an increment about to be sent; returns how many were sent including it.</summary>
    public int BeginIncrement() => ++_sent;

    protected override void Record(Pending p, Outcome outcome, object reply, bool inOrder, Violations violations)
    {
        switch (Outcomes.AppliedOf(outcome))
        {
            case Applied.Unknown:
                return;
            case Applied.No:
                _notApplied++;
                if (reply is CounterResult { Outcome: KvOutcome.NotFound })
                    violations.Add(ViolationKind.LostWrite,
                        $"{Owner} key '{Key}': increment {p.Aux} found no counter ({_acked} increments were acknowledged; it is never removed)");
                return;
        }
        _acked++;
        if (reply is not CounterResult r) return;
        if (!inOrder)
        {
            _lastValue = Math.Max(_lastValue, r.Value);
            return;
        }
        if (r.Value <= _lastValue)
            violations.Add(ViolationKind.CounterValue,
                $"{Owner} key '{Key}': increment {p.Aux} returned {r.Value}, not above the previous increment's {_lastValue}");
        else if ((long)r.Value < _acked)
            violations.Add(ViolationKind.LostWrite,
                $"{Owner} key '{Key}': increment {p.Aux} returned {r.Value}, below the {_acked} increments acknowledged so far");
        else if (r.Value > (ulong)p.Aux)
            violations.Add(ViolationKind.PhantomWrite,
                $"{Owner} key '{Key}': increment {p.Aux} returned {r.Value}, above the {p.Aux} increments sent so far");
        _lastValue = Math.Max(_lastValue, r.Value);
    }

    public override void CheckFinal(byte[]? value, Violations violations)
    {
        if (value is null)
        {
            violations.Add(ViolationKind.LostWrite, $"{Owner} key '{Key}': the counter is gone ({_acked} increments acknowledged)");
            return;
        }
        var text = Text(value);
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
        {
            violations.Add(ViolationKind.ReadBack, $"{Owner} key '{Key}': the counter reads back as \"{text}\"");
            return;
        }
        if ((long)v < _acked || v < _lastValue)
            violations.Add(ViolationKind.LostWrite,
                $"{Owner} key '{Key}': the counter is {v}, but {_acked} increments were acknowledged (the last returned {_lastValue})");
        else if ((long)v > _sent - _notApplied)
            violations.Add(ViolationKind.PhantomWrite,
                $"{Owner} key '{Key}': the counter is {v}, above the {_acked} acknowledged plus {_sent - _acked - _notApplied} unknown increments " +
                $"({_notApplied} were reported not applied)");
    }
}
