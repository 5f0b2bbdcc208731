namespace Akka.Couchbase.Transport;

/// <summary>
/// The seam between a node connection and its socket: connect, write a batch and learn when it is taken, receive
/// bytes, close, learn of closure. The transport belongs to one actor and is used on its thread only; whatever the
/// socket reports reaches that actor as a message, which the actor hands to <see cref="Handle"/>, and the transport
/// turns it into one call of its <see cref="ITransportListener"/>. So no event takes an extra hop, and none arrives
/// while the actor is busy with another. Events of a connection that was aborted, or of an attempt that was given
/// up, are dropped.
/// </summary>
internal interface INodeTransport
{
    /// <summary>
    /// Opens a connection to <paramref name="host"/>:<paramref name="port"/>. Exactly one of
    /// <see cref="ITransportListener.OnConnected"/> and <see cref="ITransportListener.OnConnectFailed"/> follows,
    /// within the transport's connect timeout, unless <see cref="Abort"/> comes first.
    /// </summary>
    void Connect(string host, int port);

    /// <summary>
    /// Hands <paramref name="buffer"/>[0..<paramref name="length"/>) to the socket, without a copy;
    /// <see cref="ITransportListener.OnWritten"/> follows once the socket has taken all of it. One write at a time;
    /// the buffer must not change until then (after a loss, it may still be read: it must not be reused).
    /// </summary>
    void Write(byte[] buffer, int length);

    /// <summary>Closes the connection (or gives up the connect attempt) at once; nothing of it is reported afterwards.</summary>
    void Abort();

    /// <summary>Reads a message that reached the owning actor; true if it was the transport's (and is handled).</summary>
    bool Handle(object message, Akka.Actor.IActorRef sender);
}
