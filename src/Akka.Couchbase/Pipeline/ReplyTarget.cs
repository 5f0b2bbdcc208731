using Akka.Actor;

namespace Akka.Couchbase.Pipeline;

/// <summary>
/// Where one command's reply goes: an actor (the sender of a Tell or Ask) or a sink (the Task facade, a multi
/// command's aggregator, a durability watch), never both. Unwrapped once, when the supervisor admits the command.
/// </summary>
internal readonly struct ReplyTarget
{
    private readonly IActorRef? _actor;
    private readonly IReplySink? _sink;

    private ReplyTarget(IActorRef? actor, IReplySink? sink)
    {
        _actor = actor;
        _sink = sink;
    }

    /// <summary>Replies go to <paramref name="actor"/> (nowhere for <see cref="ActorRefs.NoSender"/>).</summary>
    public static ReplyTarget Actor(IActorRef? actor) => new(actor, null);

    /// <summary>Replies go to <paramref name="sink"/>.</summary>
    public static ReplyTarget Sink(IReplySink sink) => new(null, sink);

    /// <summary>The sink, when the reply goes to one.</summary>
    public IReplySink? ReplySink => _sink;

    /// <summary>The actor, when the reply goes to one.</summary>
    public IActorRef? ReplyActor => _actor;

    /// <summary>Delivers <paramref name="reply"/> (the request it answers, when there is one, goes to a sink with it).</summary>
    public void Send(object reply, KvRequest? request = null)
    {
        if (_sink is not null) _sink.Deliver(request, reply);
        else _actor?.Tell(reply, ActorRefs.NoSender);
    }

    /// <inheritdoc />
    public override string ToString() => _sink is not null ? $"sink {_sink.GetType().Name}" : $"actor {_actor?.Path.ToString() ?? "none"}";
}
