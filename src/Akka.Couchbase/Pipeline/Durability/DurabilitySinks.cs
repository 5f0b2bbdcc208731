using Akka.Actor;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.Pipeline.Durability;

/// <summary>Messages from the durability sinks to the supervisor (they run on connection threads).</summary>
internal static class DurabilityMessages
{
    /// <summary>The mutation succeeded: start observing.</summary>
    public sealed record Applied(DurabilityWatch Watch, KvResult Result) : INoSerializationVerificationNeeded;

    /// <summary>The mutation was not applied (a failure, or an outcome such as Exists): that is the caller's reply.</summary>
    public sealed record NotApplied(DurabilityWatch Watch, object Reply) : INoSerializationVerificationNeeded;

    /// <summary>One node's OBSERVE answer for round <paramref name="Round"/> (null: no usable answer).</summary>
    public sealed record Observed(DurabilityWatch Watch, int Round, string Node, bool Active, ObservedKey? Key) : INoSerializationVerificationNeeded;

    /// <summary>Time for the next round.</summary>
    public sealed record Poll(DurabilityWatch Watch) : INoSerializationVerificationNeeded;
}

/// <summary>
/// Where a durable mutation's own reply goes: a success is handed to the supervisor to observe; anything else
/// (a failure, an outcome such as Exists or CasMismatch) is the caller's reply at once.
/// </summary>
internal sealed class DurableMutationSink : IReplySink
{
    private readonly IActorRef _supervisor;
    private readonly DurabilityWatch _watch;

    public DurableMutationSink(IActorRef supervisor, DurabilityWatch watch)
    {
        _supervisor = supervisor;
        _watch = watch;
    }

    public void Deliver(KvRequest? request, object reply)
    {
        if (reply is KvResult { Outcome: KvOutcome.Success } applied and (MutationResult or CounterResult))
            _supervisor.Tell(new DurabilityMessages.Applied(_watch, applied));
        else
            _supervisor.Tell(new DurabilityMessages.NotApplied(_watch, reply));
    }
}

/// <summary>Receives one node's raw OBSERVE response (an internal request) and reports it to the supervisor.</summary>
internal sealed class ObserveSink : IInternalSink
{
    private readonly IActorRef _supervisor;
    private readonly DurabilityWatch _watch;
    private readonly int _round;
    private readonly string _node;
    private readonly bool _active;

    public ObserveSink(IActorRef supervisor, DurabilityWatch watch, int round, string node, bool active)
    {
        _supervisor = supervisor;
        _watch = watch;
        _round = round;
        _node = node;
        _active = active;
    }

    public void Deliver(KvRequest? request, object reply)
    {
        var observed = reply is Frame { Status: KvStatus.Success } frame ? ObservedKey.Parse(frame.Value) : null;
        _supervisor.Tell(new DurabilityMessages.Observed(_watch, _round, _node, _active, observed));
    }
}
