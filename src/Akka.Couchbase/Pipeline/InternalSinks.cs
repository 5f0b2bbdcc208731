using Akka.Actor;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Actors;

namespace Akka.Couchbase.Pipeline;

/// <summary>A sink of an internal request: it receives the raw response <see cref="Frame"/> (or a failure).</summary>
internal interface IInternalSink : IReplySink { }

/// <summary>Answers a fence: every request written before it on the connection has been answered.</summary>
internal sealed class FenceSink : IInternalSink
{
    private readonly IActorRef _parent;
    private readonly int _nodeIndex;
    private readonly long _token;

    public FenceSink(IActorRef parent, int nodeIndex, long token)
    {
        _parent = parent;
        _nodeIndex = nodeIndex;
        _token = token;
    }

    public void Deliver(KvRequest? request, object reply) =>
        _parent.Tell(new NodeMessages.FenceDone(_nodeIndex, _token));
}

/// <summary>Forwards a fetched cluster map to the supervisor.</summary>
internal sealed class ConfigSink : IInternalSink
{
    private readonly IActorRef _parent;
    private readonly int _nodeIndex;

    public ConfigSink(IActorRef parent, int nodeIndex)
    {
        _parent = parent;
        _nodeIndex = nodeIndex;
    }

    public void Deliver(KvRequest? request, object reply)
    {
        if (reply is Frame { Status: KvStatus.Success } frame && frame.ValueLength > 0)
            _parent.Tell(new NodeMessages.ConfigFetched(_nodeIndex, System.Text.Encoding.UTF8.GetString(frame.Value)));
        else if (reply is Frame { Status: KvStatus.NotSupported or KvStatus.UnknownCommand } refused)
            _parent.Tell(new NodeMessages.ConfigUnavailable(_nodeIndex, $"GET_CLUSTER_CONFIG answered {refused.Status}"));
    }
}
