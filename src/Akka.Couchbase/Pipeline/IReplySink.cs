namespace Akka.Couchbase.Pipeline;

/// <summary>Where a request's one reply goes when it is not an actor (the Task facade, a multi command's aggregator).</summary>
internal interface IReplySink
{
    /// <summary>Takes the reply: a <see cref="KvResult"/> or an <c>Akka.Actor.Status.Failure</c>.</summary>
    void Deliver(KvRequest? request, object reply);
}
