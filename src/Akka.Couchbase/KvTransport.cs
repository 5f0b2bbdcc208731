namespace Akka.Couchbase;

/// <summary>How plain (not TLS) connections to the nodes' KV ports are made: <c>akka.couchbase.transport</c>.</summary>
public enum KvTransport
{
    /// <summary>Akka.IO TCP (the default): each connection's socket is driven by Akka.IO's connection actor.</summary>
    AkkaIo,

    /// <summary>
    /// A socket of the client's own: writes are handed to the socket by the node's connection actor, and reads are
    /// told to it by one read loop per connection, with no Akka.IO actor between them. Fewer hops per round trip,
    /// which shows when few commands are in flight; the contracts are the same.
    /// </summary>
    Socket,
}
