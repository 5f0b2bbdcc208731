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
internal sealed class DurableMutationSink(IActorRef supervisor, DurabilityWatch watch) : IReplySink
{
    public void Deliver(KvRequest? request, object reply)
    {
        if (reply is KvResult { Outcome: KvOutcome.Success } applied and (MutationResult or CounterResult or MutateInResult))
            supervisor.Tell(new DurabilityMessages.Applied(watch, applied));
        else
            supervisor.Tell(new DurabilityMessages.NotApplied(watch, reply));
    }
}

/// <summary>Receives one node's raw OBSERVE response (an internal request) and reports it to the supervisor.</summary>
internal sealed class ObserveSink(IActorRef supervisor, DurabilityWatch watch, int round, string node, bool active)
    : IInternalSink
{
    public void Deliver(KvRequest? request, object reply)
    {
        var observed = reply is Frame { Status: KvStatus.Success } frame ? ObservedKey.Parse(frame.Value) : null;
        supervisor.Tell(new DurabilityMessages.Observed(watch, round, node, active, observed));
    }
}
