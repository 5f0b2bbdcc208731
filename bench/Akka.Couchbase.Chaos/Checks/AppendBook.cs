using System.Globalization;
using Akka.Couchbase.Chaos.Ledger;

namespace Akka.Couchbase.Chaos.Checks;

/// <summary>
/// An append key: its owner creates it (an upsert of "") and then appends "0,", "1,", "2,", ... in order, pipelined.
/// At the end the document must hold every acknowledged append, in increasing order, no number twice, and none the
/// client reported as not applied; an ambiguous or timed-out append may be there or not.
/// </summary>
internal sealed class AppendBook : KeyBook
{
    private readonly Outcome[] _appends;
    private Outcome _create = Outcome.Pending;

    public AppendBook(string key, string owner, int capacity) : base(key, owner) => _appends = new Outcome[capacity];

    public int Appended { get; private set; }
    public bool CreateSent { get; private set; }
    public bool Full => Appended >= _appends.Length;

    public void MarkCreateSent() => CreateSent = true;

    /// <summary>The number of the next append (its value is "n,").</summary>
    public int NextAppend() => Appended++;

    public static string ValueOf(int n) => n.ToString(CultureInfo.InvariantCulture) + ",";

    protected override void Record(Pending p, Outcome outcome, object reply, bool inOrder, Violations violations)
    {
        if (p.Op == Op.Upsert) _create = outcome;
        else _appends[p.Aux] = outcome;
    }

    /// <summary>Appends acknowledged, not applied, and unknown (for the report).</summary>
    public (int Acked, int NotApplied, int Unknown) Tally()
    {
        int acked = 0, no = 0, unknown = 0;
        for (var i = 0; i < Appended; i++)
        {
            switch (Outcomes.AppliedOf(_appends[i]))
            {
                case Applied.Yes: acked++; break;
                case Applied.No: no++; break;
                default: unknown++; break;
            }
        }
        return (acked, no, unknown);
    }

    public override void CheckFinal(byte[]? value, Violations violations)
    {
        var (acked, _, _) = Tally();
        if (value is null)
        {
            if (_create == Outcome.Success || acked > 0)
                violations.Add(ViolationKind.LostWrite,
                    $"{Owner} key '{Key}': the document is gone, though its creation was {Outcomes.Name(_create)} and {acked} appends were acknowledged");
            return;
        }
        if (Outcomes.AppliedOf(_create) == Applied.No)
            violations.Add(ViolationKind.PhantomWrite,
                $"{Owner} key '{Key}': the document exists, though its creation was reported {Outcomes.Name(_create)} (not applied)");

        var text = Text(value);
        var present = new bool[_appends.Length];
        var last = -1;
        if (text.Length > 0 && !text.EndsWith(','))
        {
            violations.Add(ViolationKind.AppendOrder, $"{Owner} key '{Key}': the document does not end with an append's comma: {Excerpt(text, text[^Math.Min(20, text.Length)..])}");
            return;
        }
        var tokens = text.Length == 0 ? Array.Empty<string>() : text[..^1].Split(',');
        foreach (var token in tokens)
        {
            if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n >= Appended)
            {
                violations.Add(ViolationKind.AppendOrder,
                    $"{Owner} key '{Key}': '{token}' in the document is no append that was sent ({Appended} sent): {Excerpt(text, token)}");
                return;
            }
            if (n <= last)
            {
                violations.Add(ViolationKind.AppendOrder,
                    $"{Owner} key '{Key}': append {n} comes after {last} in the document ({(n == last ? "twice" : "out of order")}; " +
                    $"{n} was {Outcomes.Name(_appends[n])}, {last} was {Outcomes.Name(_appends[last])}): {Excerpt(text, $"{last},{n},")}");
                return;
            }
            present[n] = true;
            last = n;
            if (Outcomes.AppliedOf(_appends[n]) == Applied.No)
                violations.Add(ViolationKind.PhantomWrite,
                    $"{Owner} key '{Key}': append {n} is in the document, though it was reported {Outcomes.Name(_appends[n])} (not applied)",
                    $"append: one reported {Outcomes.Name(_appends[n])} is in the document");
        }
        var lost = Enumerable.Range(0, Appended).Where(i => _appends[i] == Outcome.Success && !present[i]).ToList();
        if (lost.Count > 0)
            violations.Add(ViolationKind.LostWrite,
                $"{Owner} key '{Key}': {lost.Count} acknowledged appends are missing from the document, first {string.Join(",", lost.Take(5))} " +
                $"(document: {Excerpt(text, AppendBook.ValueOf(Math.Max(0, lost[0] - 1)))})");
    }

    private static string Excerpt(string text, string around)
    {
        var at = text.IndexOf(around, StringComparison.Ordinal);
        if (text.Length <= 80) return $"\"{text}\"";
        if (at < 0) at = 0;
        var start = Math.Max(0, at - 30);
        var length = Math.Min(text.Length - start, 80);
        return $"\"{(start > 0 ? "..." : "")}{text.Substring(start, length)}{(start + length < text.Length ? "..." : "")}\"";
    }
}
