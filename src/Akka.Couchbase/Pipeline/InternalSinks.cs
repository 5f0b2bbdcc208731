using Akka.Actor;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Actors;

namespace Akka.Couchbase.Pipeline;

/// <summary>A sink of an internal request: it receives the raw response <see cref="Frame"/> (or a failure).</summary>
internal interface IInternalSink : IReplySink { }

/// <summary>Answers a fence: every request written before it on the connection has been answered.</summary>
internal sealed class FenceSink(IActorRef parent, int nodeIndex, long token) : IInternalSink
{
    public void Deliver(KvRequest? request, object reply) =>
        parent.Tell(new NodeMessages.FenceDone(nodeIndex, token));
}

/// <summary>Forwards a fetched cluster map to the supervisor.</summary>
internal sealed class ConfigSink(IActorRef parent, int nodeIndex) : IInternalSink
{
    public void Deliver(KvRequest? request, object reply)
    {
        if (reply is Frame { Status: KvStatus.Success } frame && frame.ValueLength > 0)
            parent.Tell(new NodeMessages.ConfigFetched(nodeIndex, System.Text.Encoding.UTF8.GetString(frame.Value)));
        else if (reply is Frame { Status: KvStatus.NotSupported or KvStatus.UnknownCommand } refused)
            parent.Tell(new NodeMessages.ConfigUnavailable(nodeIndex, $"GET_CLUSTER_CONFIG answered {refused.Status}"));
    }
}
