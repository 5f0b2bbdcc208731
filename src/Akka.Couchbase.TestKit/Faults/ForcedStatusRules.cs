using System.Text.RegularExpressions;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.TestKit.Faults;

/// <summary>A registered "answer this status instead" rule; dispose it to remove it early.</summary>
public sealed class ForcedStatusRule : IDisposable
{
    private readonly ForcedStatusRules _owner;
    private int _remaining;
    private int _hits;

    internal ForcedStatusRule(ForcedStatusRules owner, KvStatus status, Opcode? opcode, Regex? key, int? node,
        string? bucket, int count, bool noReply = false)
    {
        _owner = owner;
        NoReply = noReply;
        Status = status;
        Opcode = opcode;
        KeyPattern = key;
        Node = node;
        Bucket = bucket;
        _remaining = count;
    }

    /// <summary>True when matching requests are swallowed: neither executed nor answered.</summary>
    public bool NoReply { get; }

    /// <summary>The status answered.</summary>
    public KvStatus Status { get; }
    /// <summary>Only this opcode (its quiet twin included), or any key-bearing data command when null.</summary>
    public Opcode? Opcode { get; }
    /// <summary>Only keys matching this pattern, or any key when null.</summary>
    public Regex? KeyPattern { get; }
    /// <summary>Only on this node index, or on any node when null.</summary>
    public int? Node { get; }
    /// <summary>Only in this bucket, or in any bucket when null.</summary>
    public string? Bucket { get; }
    /// <summary>How many times the rule has fired.</summary>
    public int Hits => Volatile.Read(ref _hits);
    /// <summary>Remaining count (negative = forever, 0 = exhausted).</summary>
    public int Remaining => Volatile.Read(ref _remaining);

    internal bool TryFire(Opcode opcode, string? key, int node, string? bucket)
    {
        if (Opcode is { } op && op != opcode) return false;
        if (Opcode is null && key is null) return false;
        if (KeyPattern != null && (key is null || !KeyPattern.IsMatch(key))) return false;
        if (Node is { } n && n != node) return false;
        if (Bucket != null && !string.Equals(Bucket, bucket, StringComparison.Ordinal)) return false;
        while (true)
        {
            var r = Volatile.Read(ref _remaining);
            if (r == 0) return false;
            if (r < 0 || Interlocked.CompareExchange(ref _remaining, r - 1, r) == r) break;
        }
        Interlocked.Increment(ref _hits);
        return true;
    }

    /// <summary>Removes the rule.</summary>
    public void Dispose() => _owner.Remove(this);
}

/// <summary>The set of forced-status rules of a cluster; the oldest matching rule wins.</summary>
internal sealed class ForcedStatusRules
{
    private readonly List<ForcedStatusRule> _rules = new();

    public ForcedStatusRule Add(KvStatus status, Opcode? opcode, string? keyPattern, int? node, string? bucket, int count,
        bool noReply = false)
    {
        var rule = new ForcedStatusRule(this, status, opcode, keyPattern is null ? null : new Regex(keyPattern, RegexOptions.CultureInvariant), node, bucket, count, noReply);
        lock (_rules) _rules.Add(rule);
        return rule;
    }

    public void Remove(ForcedStatusRule rule)
    {
        lock (_rules) _rules.Remove(rule);
    }

    public void Clear()
    {
        lock (_rules) _rules.Clear();
    }

    /// <summary>The rule that fires for this command, if any.</summary>
    public ForcedStatusRule? Match(Opcode opcode, string? key, int node, string? bucket)
    {
        lock (_rules)
        {
            if (_rules.Count == 0) return null;
            foreach (var rule in _rules)
                if (rule.TryFire(opcode, key, node, bucket)) return rule;
            _rules.RemoveAll(r => r.Remaining == 0);
            return null;
        }
    }
}
