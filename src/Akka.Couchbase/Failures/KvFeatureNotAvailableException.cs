namespace Akka.Couchbase;

/// <summary>
/// The command needs something the node's connection did not negotiate (HELLO): xattr specs without Xattr, a
/// preserved expiry without PreserveTtl. Nothing was sent; the command is not worth sending again to this server.
/// </summary>
public sealed class KvFeatureNotAvailableException : CouchbaseException
{
    /// <summary>Creates the exception.</summary>
    public KvFeatureNotAvailableException(string message, KvFailureContext? context = null) : base(message, context) { }
}
