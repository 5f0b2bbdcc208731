namespace Akka.Couchbase.Pipeline;

/// <summary>Where a request's one reply goes when it is not an actor (the Task facade, a multi command's aggregator).</summary>
internal interface IReplySink
{
    /// <summary>Takes the reply: a <see cref="KvResult"/> or an <c>Akka.Actor.Status.Failure</c>.</summary>
    void Deliver(KvRequest? request, object reply);
}

/// <summary>Where a reply goes that is owed to a caller who is either an actor or a sink (never both).</summary>
internal static class Replies
{
    /// <summary>Delivers <paramref name="reply"/> to <paramref name="sink"/> if there is one, else tells it to <paramref name="replyTo"/>.</summary>
    public static void Send(Akka.Actor.IActorRef? replyTo, IReplySink? sink, object reply)
    {
        if (sink is not null) sink.Deliver(null, reply);
        else replyTo?.Tell(reply, Akka.Actor.ActorRefs.NoSender);
    }
}
