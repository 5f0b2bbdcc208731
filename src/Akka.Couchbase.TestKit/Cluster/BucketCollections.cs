namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>
/// The scopes and collections of one bucket, for tests: change them as the REST API does (same rules, same ids, the
/// manifest uid bumped each time, the cluster map's revision too so clients hear of it) and look ids up. A refused
/// change throws <see cref="CollectionManifestException"/> with the server's wording.
/// </summary>
/// <example>
/// <code>
/// var collections = cluster.Bucket("default").Collections;
/// collections.CreateScope("inventory");
/// var id = collections.CreateCollection("inventory", "airline");   // 0xa on a new bucket
/// cluster.Bucket("default").Collection("inventory", "airline").Upsert("airline_10", "{\"name\":\"40-Mile Air\"}");
/// </code>
/// </example>
public sealed class BucketCollections
{
    private readonly ClusterModel _cluster;
    private readonly InProcessBucket _bucket;

    internal BucketCollections(ClusterModel cluster, InProcessBucket bucket)
    {
        _cluster = cluster;
        _bucket = bucket;
    }

    /// <summary>The current manifest uid (1 on a new Couchbase bucket; one more after each change).</summary>
    public ulong ManifestUid
    {
        get { lock (_cluster.Sync) return _bucket.Manifest.Uid; }
    }

    /// <summary>The manifest as <c>GET /pools/default/buckets/{bucket}/scopes</c> answers it.</summary>
    public string ManifestJson()
    {
        lock (_cluster.Sync) return Cluster.ManifestJson.Rest(_bucket.Manifest).ToString(Newtonsoft.Json.Formatting.None);
    }

    /// <summary>The id of <paramref name="scope"/>.<paramref name="collection"/>, or null when there is no such collection.</summary>
    public uint? IdOf(string scope, string collection)
    {
        lock (_cluster.Sync) return _bucket.Manifest.Find(scope, collection)?.Id;
    }

    /// <summary>The id of <paramref name="scope"/>, or null when there is no such scope.</summary>
    public uint? ScopeIdOf(string scope)
    {
        lock (_cluster.Sync) return _bucket.Manifest.FindScope(scope)?.Id;
    }

    /// <summary>Creates a scope; returns its id.</summary>
    public uint CreateScope(string name) => Change(m => m.CreateScope(name).Id);

    /// <summary>
    /// Creates a collection; returns its id. <paramref name="maxTtlSeconds"/>: 0 (default) = the bucket's setting
    /// (none here), -1 = documents never expire, otherwise the longest expiry a new document gets.
    /// </summary>
    public uint CreateCollection(string scope, string name, long maxTtlSeconds = 0) =>
        Change(m => m.CreateCollection(scope, name, maxTtlSeconds).Id);

    /// <summary>Drops a scope, its collections and their documents.</summary>
    public void DropScope(string name) => Change(m =>
    {
        foreach (var id in m.DropScope(name)) DeleteDocuments(id);
        return 0u;
    });

    /// <summary>Drops a collection and its documents; commands naming its id get UNKNOWN_COLLECTION from then on.</summary>
    public void DropCollection(string scope, string name) => Change(m =>
    {
        DeleteDocuments(m.DropCollection(scope, name));
        return 0u;
    });

    /// <summary>
    /// Applies one change under the cluster lock and, when it is made, bumps the map revision (clients that asked for
    /// pushes get the new map, whose <c>collectionsManifestUid</c> tells them of the change).
    /// </summary>
    internal T Change<T>(Func<CollectionManifest, T> change)
    {
        lock (_cluster.Sync)
        {
            if (_bucket.Type != BucketType.Couchbase) throw new CollectionManifestException(400, "Not allowed on this type of bucket");
            var result = change(_bucket.Manifest);
            _cluster.BumpRev();
            return result;
        }
    }

    private void DeleteDocuments(uint collectionId)
    {
        foreach (var p in _bucket.Partitions) p.Drop(collectionId);
        _bucket.Manifest.ForcedUnknown.Remove(collectionId);
        _bucket.Generation++;
    }
}
