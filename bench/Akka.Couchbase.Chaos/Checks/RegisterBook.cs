using System.Globalization;
using Akka.Couchbase.Chaos.Ledger;

namespace Akka.Couchbase.Chaos.Checks;

/// <summary>
/// A register key: its owner upserts unique values ("key#1", "key#2", ...) in order and reads it back now and then.
/// Write 0 is stored (and acknowledged) before the load starts. A read, and the final read-back, must see the last
/// acknowledged write, or a later one whose outcome is unknown (ambiguous, timed out); an older value means an
/// acknowledged write was lost (or overtaken), a write reported as not applied must never be seen, and a read
/// must not see a write sent after it.
/// </summary>
internal sealed class RegisterBook : KeyBook
{
    // Writes after the last acknowledged one, in send order: the candidates a read may still see.
    private readonly List<(int Write, Outcome Outcome)> _tail = new();
    private int _writes;
    private int _lastAcked;

    public RegisterBook(string key, string owner) : base(key, owner) { }

    public int Writes => _writes;
    public int LastAcked => _lastAcked;

    public static string ValueOf(string key, int write) => key + "#" + write.ToString(CultureInfo.InvariantCulture);

    /// <summary>Hands out the next write number (its value is <see cref="ValueOf"/>).</summary>
    public int BeginWrite()
    {
        var w = ++_writes;
        _tail.Add((w, Outcome.Pending));
        return w;
    }

    protected override void Record(Pending p, Outcome outcome, object reply, bool inOrder, Violations violations)
    {
        if (p.Op == Op.Upsert)
        {
            var i = _tail.FindIndex(t => t.Write == p.Aux);
            if (i >= 0) _tail[i] = (p.Aux, outcome);
            if (outcome == Outcome.Success && p.Aux > _lastAcked)
            {
                _lastAcked = p.Aux;
                _tail.RemoveAll(t => t.Write <= _lastAcked);
            }
        }
        else if (p.Op == Op.Get && reply is GetResult r) // sound out of order too: it guards what it compares
        {
            CheckRead(r.Outcome == KvOutcome.Success ? r.RawValue.ToArray() : null, p.Aux, $"a read (op {p.OpSeq})", violations);
        }
    }

    public override void CheckFinal(byte[]? value, Violations violations) =>
        CheckRead(value, _writes, "the read-back", violations);

    private void CheckRead(byte[]? value, int writesBefore, string what, Violations violations)
    {
        if (value is null)
        {
            violations.Add(ViolationKind.LostWrite,
                $"{Owner} key '{Key}': {what} found no document; write {_lastAcked} was acknowledged (it is never removed)");
            return;
        }
        var text = Text(value);
        var hash = text.LastIndexOf('#');
        if (hash < 0 || text[..hash] != Key || !int.TryParse(text.AsSpan(hash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            violations.Add(ViolationKind.ReadBack, $"{Owner} key '{Key}': {what} got a value that is no write of this key: \"{Clip(text)}\"");
            return;
        }
        if (n > writesBefore)
        {
            violations.Add(ViolationKind.StaleRead,
                $"{Owner} key '{Key}': {what} saw write {n}, which was sent after it (writes sent before it: {writesBefore})",
                "register: a read saw a write sent after it");
            return;
        }
        // A write sent after the read was acknowledged before the read's reply: the reply order check reported it.
        if (_lastAcked > writesBefore) return;
        if (n < _lastAcked)
        {
            violations.Add(what == "the read-back" ? ViolationKind.LostWrite : ViolationKind.StaleRead,
                $"{Owner} key '{Key}': {what} saw write {n}, but write {_lastAcked} was acknowledged before" +
                (_tail.Count > 0 ? $" (later writes: {string.Join(", ", _tail.Select(t => $"{t.Write} {Outcomes.Name(t.Outcome)}"))})" : ""),
                "register: an older write than the last acknowledged one");
            return;
        }
        if (n == _lastAcked) return;
        var entry = _tail.Find(t => t.Write == n);
        if (entry.Write == n && Outcomes.AppliedOf(entry.Outcome) == Applied.No)
            violations.Add(ViolationKind.PhantomWrite,
                $"{Owner} key '{Key}': {what} saw write {n}, which was reported {Outcomes.Name(entry.Outcome)} (not applied); last acknowledged: {_lastAcked}",
                $"register: a write reported {Outcomes.Name(entry.Outcome)} was seen");
    }

    private static string Clip(string s) => s.Length <= 60 ? s : s[..60] + "...";
}
