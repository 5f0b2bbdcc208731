using System.Diagnostics;
using Akka.Actor;

namespace Akka.Couchbase.Actors.Durability;

/// <summary>
/// One durable mutation after the server applied it: what it waits for, the rounds of OBSERVE sent so far and what
/// the last round saw. Owned by the supervisor (only its thread reads or writes it); answered exactly once.
/// </summary>
internal sealed class DurabilityWatch
{
    public DurabilityWatch(Kv.KeyCommand command, Kv.IDurableCommand? durability, IActorRef? replyTo, IReplySink? sink)
    {
        Command = command;
        PersistTo = durability?.PersistTo ?? 0;
        ReplicateTo = durability?.ReplicateTo ?? 0;
        ReplyTo = replyTo;
        Sink = sink;
    }

    public Kv.KeyCommand Command { get; }
    public string Key => Command.Key;
    public bool IsRemove => Command is Kv.Remove;
    public int PersistTo { get; }
    public int ReplicateTo { get; }
    public IActorRef? ReplyTo { get; }
    public IReplySink? Sink { get; }

    /// <summary>The mutation's result, once applied.</summary>
    public KvResult? Applied { get; set; }
    public long StartTimestamp { get; set; }
    public long DeadlineTimestamp { get; set; }
    public int Round { get; set; }
    public int Outstanding { get; set; }
    public int Persisted { get; set; }
    public int Replicated { get; set; }
    /// <summary>Polls so far; the delay before the next one grows with it.</summary>
    public int Polls { get; set; }
    public bool Done { get; private set; }

    public bool IsMet => Persisted >= PersistTo && Replicated >= ReplicateTo;

    /// <summary>A <see cref="Kv.Observe"/>: one round, whose copies are the reply.</summary>
    public bool ReportOnly => Command is Kv.Observe;

    /// <summary>The copies seen in this round (kept for <see cref="ReportOnly"/> watches).</summary>
    public List<ObservedCopy> Copies { get; } = new();

    public bool IsExpired(long now) => now >= DeadlineTimestamp;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(StartTimestamp);

    /// <summary>Counts one copy of the round: does it hold the applied version, and has it persisted it?</summary>
    public void Count(bool active, ObservedKey? observed)
    {
        if (observed is not { } o || Applied is null) return;
        bool present, persisted;
        if (IsRemove)
        {
            present = o.State is ObservedKeyState.NotFound or ObservedKeyState.LogicallyDeleted;
            persisted = o.State == ObservedKeyState.NotFound;
        }
        else
        {
            present = o.Cas == Applied.Cas && o.State is ObservedKeyState.Found or ObservedKeyState.Persisted;
            persisted = present && o.State == ObservedKeyState.Persisted;
        }
        if (persisted) Persisted++;
        if (present && !active) Replicated++;
    }

    /// <summary>Starts a new round of OBSERVE over <paramref name="copies"/> nodes.</summary>
    public void NewRound(int copies)
    {
        Round++;
        Polls++;
        Outstanding = copies;
        Persisted = 0;
        Replicated = 0;
        Copies.Clear();
    }

    /// <summary>Keeps one copy's report (for <see cref="Kv.Observe"/>).</summary>
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
        Replies.Send(ReplyTo, Sink, reply);
        return true;
    }
}
