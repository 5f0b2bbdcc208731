using Akka.Couchbase.TestKit.Cluster;

namespace Akka.Couchbase.TestKit.Faults;

public sealed partial class ClusterFaults
{
    /// <summary>
    /// The next <paramref name="count"/> document commands naming collection <paramref name="scope"/>.<paramref name="collection"/>
    /// of <paramref name="bucket"/> (on any node) answer UNKNOWN_COLLECTION with the current manifest uid, as a node
    /// that has not yet heard of the collection would; the collection itself stays as it is, so a client that looks its
    /// id up again (GET_COLLECTION_ID) and retries then succeeds. Counts add up; <see cref="Reset"/> clears them.
    /// </summary>
    public void AnswerUnknownCollection(string bucket, string scope, string collection, int count = 1)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "at least one command");
        var b = _cluster.Bucket(bucket);
        lock (_model.Sync)
        {
            var id = b.Manifest.Find(scope, collection)?.Id
                     ?? throw new CollectionManifestException(404, $"Collection with name \"{collection}\" in scope \"{scope}\" is not found");
            b.Manifest.ForcedUnknown[id] = b.Manifest.ForcedUnknown.GetValueOrDefault(id) + count;
        }
    }

    /// <summary>
    /// Drops <paramref name="scope"/>.<paramref name="collection"/> and creates it again at once, with the same maxTTL,
    /// as two REST calls would (the manifest uid goes up by two): its documents are gone and it has a new id, so a
    /// client still using the old id gets UNKNOWN_COLLECTION and must look the id up again. Returns the new id.
    /// </summary>
    public uint RecreateCollection(string bucket, string scope, string collection)
    {
        var b = _cluster.Bucket(bucket);
        lock (_model.Sync)
        {
            var old = b.Manifest.Find(scope, collection)
                      ?? throw new CollectionManifestException(404, $"Collection with name \"{collection}\" in scope \"{scope}\" is not found");
            // a name that could not be created again (_default, system collections) is refused before anything is dropped
            if (CollectionNames.RestProblem(collection) is { } problem) throw new CollectionManifestException(400, problem);
            b.Collections.DropCollection(scope, collection);
            return b.Collections.CreateCollection(scope, collection, old.MaxTtl);
        }
    }

    private void ClearCollectionFaults()
    {
        lock (_model.Sync)
            foreach (var b in _model.Buckets.Values) b.Manifest.ForcedUnknown.Clear();
    }
}
