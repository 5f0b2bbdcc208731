namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>
/// A change to a bucket's scopes and collections that Couchbase Server would refuse (a name taken or not valid, a
/// scope that does not exist, <c>_default</c> scope dropped...). The message is the server's own wording, and
/// <see cref="HttpStatus"/> the status its REST API answers with.
/// </summary>
public sealed class CollectionManifestException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public CollectionManifestException(int httpStatus, string message) : base(message) => HttpStatus = httpStatus;

    /// <summary>The HTTP status the cluster manager answers this refusal with (400, 404 or 429).</summary>
    public int HttpStatus { get; }
}
