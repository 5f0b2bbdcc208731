using Akka.Couchbase.Chaos.Checks;

namespace Akka.Couchbase.Chaos.Ledger;

/// <summary>The kinds of command the load sends.</summary>
internal enum Op : byte
{
    Get,
    Upsert,
    Insert,
    Remove,
    Increment,
    Decrement,
    Append,
    GetMulti,
}

/// <summary>One command the ledger tracks from the moment it is sent until its reply.</summary>
internal sealed class Pending
{
    public Pending(long id, Op op, string key, KeyBook? book, int opSeq, int aux, long sentTicks, int timeoutMs)
    {
        Id = id;
        Op = op;
        Key = key;
        Book = book;
        OpSeq = opSeq;
        Aux = aux;
        SentTicks = sentTicks;
        TimeoutMs = timeoutMs;
    }

    /// <summary>The correlation id (unique within its owner's ledger).</summary>
    public long Id { get; }
    public Op Op { get; }
    /// <summary>The key (the first key of a GetMulti).</summary>
    public string Key { get; }
    /// <summary>The owned key's book, which checks order and values; null for shared keys.</summary>
    public KeyBook? Book { get; }
    /// <summary>Position among the commands its owner sent on this key (0, 1, 2, ...).</summary>
    public int OpSeq { get; }
    /// <summary>What the book needs to remember: the append number, the register write number, ...</summary>
    public int Aux { get; }
    public long SentTicks { get; }
    /// <summary>The command's deadline in milliseconds.</summary>
    public int TimeoutMs { get; }
    /// <summary>The value to send (cleared once sent).</summary>
    public object? Value { get; set; }
    /// <summary>The keys of a GetMulti.</summary>
    public IReadOnlyList<string>? Keys { get; set; }
    /// <summary>Creates the counter when absent (shared counters only).</summary>
    public bool WithInitial { get; set; }
    /// <summary>True when the command had its own (shorter) timeout.</summary>
    public bool OwnTimeout { get; set; }
    /// <summary>Set once the reply is overdue (deadline + grace passed); a reply after it is late.</summary>
    public bool Overdue { get; set; }

    public override string ToString() =>
        $"#{Id} {Op.ToString().ToLowerInvariant()} '{Key}'" + (Book is null ? "" : $" (op {OpSeq} on the key)");
}
