using System.Diagnostics;
using Akka.Actor;
using Akka.Couchbase.Chaos.Ledger;

namespace Akka.Couchbase.Chaos.Load;

/// <summary>
/// The fast path: an actor that keeps its share of commands in flight with Tell, each carrying its ledger id as
/// the correlation id, and sends the next one when a reply comes. Its own keys' commands come from this one actor,
/// so they reach the supervisor in the order sent. A command overdue past its deadline plus the grace is replaced
/// (the load goes on) and reported when its reply comes late or never.
/// </summary>
internal sealed class TellDriver : UntypedActor, IWithTimers
{
    public sealed class Begin { public static readonly Begin Instance = new(); }
    public sealed class StopIssuing { public static readonly StopIssuing Instance = new(); }
    private sealed class Sweep { public static readonly Sweep Instance = new(); }

    private readonly Owner _owner;
    private readonly CommandMix _mix;
    private readonly IActorRef _supervisor;
    private bool _issuing;

    public TellDriver(Owner owner, CommandMix mix, IActorRef supervisor)
    {
        _owner = owner;
        _mix = mix;
        _supervisor = supervisor;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Owner owner, CommandMix mix, IActorRef supervisor) =>
        Akka.Actor.Props.Create(() => new TellDriver(owner, mix, supervisor));

    protected override void PreStart() => Timers.StartPeriodicTimer("sweep", Sweep.Instance, TimeSpan.FromSeconds(1));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case KvResult r:
                OnReply(r.CorrelationId, r);
                break;
            case MultiResult<GetResult> m:
                OnReply(m.CorrelationId, m);
                break;
            case Status.Failure f:
                OnReply((f.Cause as CouchbaseException)?.CorrelationId, f);
                break;
            case Begin:
                _issuing = true;
                for (var i = 0; i < _owner.Slots; i++) Issue();
                break;
            case StopIssuing:
                _issuing = false;
                break;
            case Sweep:
                int overdue;
                lock (_owner.Sync) overdue = _owner.Ledger.MarkOverdue(Stopwatch.GetTimestamp());
                for (var i = 0; i < overdue; i++) Issue();
                break;
            default:
                _owner.Violations.Add(ViolationKind.UnexpectedReply, $"{_owner.Name}: an unexpected message {CommandLedger.Describe(message)}");
                break;
        }
    }

    private void OnReply(object? correlationId, object reply)
    {
        if (correlationId is not long id)
        {
            _owner.Violations.Add(ViolationKind.UnknownReply,
                $"{_owner.Name}: a reply without its correlation id ({correlationId ?? "null"}): {CommandLedger.Describe(reply)}");
            return;
        }
        Pending? p = null;
        try
        {
            lock (_owner.Sync) p = _owner.Complete(id, reply);
        }
        catch (Exception e)
        {
            _owner.Violations.Add(ViolationKind.HarnessError, $"{_owner.Name}: recording a reply: {e}");
        }
        if (p is { Overdue: false }) Issue(); // an overdue one was replaced already
    }

    private void Issue()
    {
        if (!_issuing) return;
        Pending p;
        lock (_owner.Sync) p = _mix.Next(_owner);
        _supervisor.Tell(Commands.Of(p, p.Id), Self);
        p.Value = null;
    }
}
