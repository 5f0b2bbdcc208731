namespace Akka.Couchbase.Pipeline;

/// <summary>Where a request is on its way to the server; decides whether it may be sent again.</summary>
internal enum RequestState : byte
{
    /// <summary>Held by an actor, not handed to the socket.</summary>
    Queued,
    /// <summary>Encoded into the connection's outgoing batch, not yet handed to Akka.IO.</summary>
    Buffered,
    /// <summary>Handed to Akka.IO: it may have reached the server.</summary>
    Written,
}
