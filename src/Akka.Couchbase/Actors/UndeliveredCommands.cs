using Akka.Actor;
using Akka.Event;
using Akka.Couchbase.Pipeline;

namespace Akka.Couchbase.Actors;

/// <summary>
/// Answers what ends in dead letters on its way to a client's actors, so that every command gets its one reply
/// even when the client is stopped: a command that reaches a stopped supervisor (or is still in its mailbox when it
/// stops, or is sent after the actor system terminated) fails with <see cref="KvClientStoppedException"/>; a Task
/// facade call faults, a Tell or Ask sender gets a <see cref="Status.Failure"/>. A request that was on its way to a
/// node connection that stopped goes back to the supervisor to be routed again, or fails the same way when the
/// supervisor is gone too.
/// <para>
/// It is not an actor but a reference subscribed to the event stream, and it answers on the publishing thread: an
/// actor would stop with the actor system, and the commands still in mailboxes at that moment would go unanswered.
/// Answering never blocks (a task completion is queued, a failure is told).
/// </para>
/// </summary>
internal sealed class UndeliveredCommands : MinimalActorRef
{
    private readonly IInternalActorRef _supervisor;

    private UndeliveredCommands(IInternalActorRef supervisor, ActorPath path, IActorRefProvider provider)
    {
        _supervisor = supervisor;
        Path = path;
        Provider = provider;
    }

    /// <summary>Subscribes a new instance for <paramref name="supervisor"/> to the dead letters of <paramref name="system"/>.</summary>
    public static void Attach(ExtendedActorSystem system, IActorRef supervisor)
    {
        var undelivered = new UndeliveredCommands((IInternalActorRef)supervisor,
            supervisor.Path.Parent / (supervisor.Path.Name + "-undelivered"), system.Provider);
        system.EventStream.Subscribe(undelivered, typeof(AllDeadLetters));
    }

    public override ActorPath Path { get; }

    public override IActorRefProvider Provider { get; }

    protected override void TellInternal(object message, IActorRef sender)
    {
        if (message is not AllDeadLetters dead || !IsOurs(dead.Recipient)) return;
        switch (dead.Message)
        {
            case ITaskSink sink:
                sink.Deliver(null, Failure(sink.Command));
                break;
            case KvRequest request:
                Undelivered(request);
                break;
            case NodeMessages.Returned returned: // handed back by a node to a supervisor that stopped meanwhile
                foreach (var request in returned.Requests) Undelivered(request);
                break;
            case NodeMessages.NotMyVBucket redirect:
                Undelivered(redirect.Request);
                break;
            case Kv.ICommand command when dead.Sender is { } replyTo && !replyTo.IsNobody() &&
                                          replyTo is not DeadLetterActorRef:
                replyTo.Tell(Failure(command), ActorRefs.NoSender);
                break;
        }
    }

    /// <summary>
    /// A request that did not reach its node: routed again while the supervisor lives (a stopping supervisor hands
    /// its mailbox back here, so the request comes round again and is failed then), else failed.
    /// </summary>
    private void Undelivered(KvRequest request)
    {
        if (request.IsCompleted) return;
        if (!SupervisorStopped && !request.IsInternal)
        {
            _supervisor.Tell(new NodeMessages.Returned(-1, new[] { request }), ActorRefs.NoSender);
            return;
        }
        if (request.IsAmbiguousIfLost) request.FailAmbiguous("the Couchbase client stopped", 0, 0);
        else
            request.Fail(new KvClientStoppedException(
                $"{request.Opcode} '{request.Key}' not answered: the Couchbase client stopped", request.Context(0, 0)));
    }

    // Not an actor, so it cannot watch; the obsolete flag is the one way to ask (and a wrong "alive" only means
    // the request goes back through dead letters once more, to be failed then).
#pragma warning disable CS0618
    private bool SupervisorStopped => _supervisor.IsTerminated;
#pragma warning restore CS0618

    /// <summary>The supervisor itself, or one of its children (node connections).</summary>
    private bool IsOurs(IActorRef recipient)
    {
        var own = _supervisor.Path;
        for (var path = recipient.Path; path is not null && path.Elements.Count >= own.Elements.Count; path = path.Parent)
        {
            if (path.Equals(own)) return true;
            if (path is RootActorPath) break;
        }
        return false;
    }

    private static Status.Failure Failure(Kv.ICommand command) => new(new KvClientStoppedException(
        $"{command.GetType().Name} not sent: the Couchbase client (its supervisor actor) is stopped",
        correlationId: command.CorrelationId));
}
