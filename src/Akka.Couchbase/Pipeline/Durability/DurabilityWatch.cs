using System.Diagnostics;
using Akka.Actor;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.Pipeline.Durability;

/// <summary>
/// One durable mutation after the server applied it: what it waits for, the rounds of OBSERVE sent so far and what
/// the last round saw. Owned by the supervisor (only its thread reads or writes it); answered exactly once.
/// </summary>
internal sealed class DurabilityWatch
{
    public DurabilityWatch(Kv.KeyCommand command, Kv.IDurableCommand? durability, ReplyTarget replyTo)
    {
        Command = command;
        PersistTo = durability?.PersistTo ?? 0;
        ReplicateTo = durability?.ReplicateTo ?? 0;
        ReplyTo = replyTo;
    }

    public Kv.KeyCommand Command { get; }
    public string Key => Command.Key;
    public bool IsRemove => Command is Kv.Remove;
    public int PersistTo { get; }
    public int ReplicateTo { get; }
    public ReplyTarget ReplyTo { get; }

    /// <summary>The mutation's result, once applied.</summary>
    public KvResult? Applied { get; set; }
    public long StartTimestamp { get; set; }
    public long DeadlineTimestamp { get; set; }
    /// <summary>Rounds of OBSERVE so far (answers of an older round are ignored; the delay between rounds grows with it).</summary>
    public int Round { get; private set; }
    public int Outstanding { get; set; }
    public bool Done { get; private set; }

    /// <summary>A <see cref="Kv.Observe"/>: one round, whose copies are the reply.</summary>
    public bool ReportOnly => Command is Kv.Observe;

    /// <summary>The copies reported in this round.</summary>
    public List<ObservedCopy> Copies { get; } = new();

    /// <summary>Copies of this round that persisted the applied version (for a remove: the removal).</summary>
    public int Persisted => Copies.Count(c => Holds(c) && c.State == (IsRemove ? ObserveState.NotFound : ObserveState.Persisted));

    /// <summary>Replica copies of this round that hold the applied version (for a remove: no longer hold the key).</summary>
    public int Replicated => Copies.Count(c => !c.IsActive && Holds(c));

    public bool IsMet => Persisted >= PersistTo && Replicated >= ReplicateTo;

    public bool IsExpired(long now) => now >= DeadlineTimestamp;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(StartTimestamp);

    /// <summary>Does the copy hold the applied version: its CAS, found or persisted (a remove: gone or being removed)?</summary>
    private bool Holds(ObservedCopy copy) => IsRemove
        ? copy.State is ObserveState.NotFound or ObserveState.LogicallyDeleted
        : Applied is not null && copy.Cas == Applied.Cas && copy.State is ObserveState.Found or ObserveState.Persisted;

    /// <summary>Starts a new round of OBSERVE over <paramref name="copies"/> nodes.</summary>
    public void NewRound(int copies)
    {
        Round++;
        Outstanding = copies;
        Copies.Clear();
    }

    /// <summary>Keeps one copy's report.</summary>
    public void Record(string node, bool active, ObservedKey? observed) =>
        Copies.Add(new ObservedCopy(node, active, observed is { } o ? o.State switch
        {
            ObservedKeyState.Found => ObserveState.Found,
            ObservedKeyState.Persisted => ObserveState.Persisted,
            ObservedKeyState.NotFound => ObserveState.NotFound,
            ObservedKeyState.LogicallyDeleted => ObserveState.LogicallyDeleted,
            _ => ObserveState.Unknown,
        } : ObserveState.Unknown, observed?.Cas ?? 0));

    /// <summary>Sends the one reply; false if it was already sent.</summary>
    public bool Reply(object reply)
    {
        if (Done) return false;
        Done = true;
        ReplyTo.Send(reply);
        return true;
    }
}
