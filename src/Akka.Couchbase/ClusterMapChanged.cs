namespace Akka.Couchbase;

/// <summary>Published on the actor system's EventStream whenever the client applies a newer cluster map.</summary>
/// <param name="Bucket">The bucket.</param>
/// <param name="Epoch">The map's revision epoch.</param>
/// <param name="Revision">The map's revision.</param>
/// <param name="Nodes">The KV nodes ("host:port"), in map order.</param>
public sealed record ClusterMapChanged(string Bucket, long Epoch, long Revision, IReadOnlyList<string> Nodes);
