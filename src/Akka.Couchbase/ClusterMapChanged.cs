using Akka.Actor;

namespace Akka.Couchbase;

/// <summary>Published on the actor system's EventStream whenever a client applies a newer cluster map.</summary>
/// <param name="Bucket">The bucket.</param>
/// <param name="Epoch">The map's revision epoch.</param>
/// <param name="Revision">The map's revision.</param>
/// <param name="Nodes">The KV nodes ("host:port"), in map order.</param>
/// <param name="ViewsEndpoints">The views base URLs of the nodes that serve views (e.g. <c>http://host:8092/bucket</c>).</param>
/// <param name="Supervisor">The supervisor of the client that applied the map.</param>
public sealed record ClusterMapChanged(string Bucket, long Epoch, long Revision, IReadOnlyList<string> Nodes,
    IReadOnlyList<Uri> ViewsEndpoints, IActorRef Supervisor);
