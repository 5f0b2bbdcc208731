using Akka.Couchbase.Actors;
namespace Akka.Couchbase;

/// <summary>The newest cluster map, for components that talk to other services of the nodes (views).</summary>
public sealed partial class CouchbaseClient
{
    private ClusterMapTracker.Holder? _maps;

    /// <summary>The newest cluster map this client applied; null before the first (and always for memcached buckets).</summary>
    public ClusterMapChanged? CurrentMap => _maps?.Current;

    /// <summary>Completes with the first cluster map (at once if there is one).</summary>
    public Task<ClusterMapChanged> FirstMap => _maps?.First ?? Task.FromException<ClusterMapChanged>(
        new InvalidOperationException("this client does not track cluster maps"));

    internal void Track(ClusterMapTracker.Holder holder) => _maps = holder;
}
