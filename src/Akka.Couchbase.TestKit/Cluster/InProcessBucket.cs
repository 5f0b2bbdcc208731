using System.Text;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>
/// One bucket of an <see cref="InProcessCluster"/>: its vBucket map and its documents. Reading helpers are
/// public so tests can see where a key lives and what is stored; all state is guarded by the cluster's lock.
/// </summary>
public sealed class InProcessBucket
{
    private readonly ClusterModel _cluster;
    private ulong _lastCas;

    internal InProcessBucket(ClusterModel cluster, BucketDefinition definition)
    {
        _cluster = cluster;
        Definition = definition;
        Uuid = Guid.NewGuid().ToString("N");
        var partitions = definition.Type == BucketType.Couchbase ? definition.VBuckets : cluster.Nodes.Count;
        Partitions = new Partition[partitions];
        for (var i = 0; i < partitions; i++) Partitions[i] = new Partition(NewVbUuid());
        Map = Array.Empty<int[]>();
        Manifest = definition.Type == BucketType.Couchbase ? CollectionManifest.ForCouchbaseBucket() : CollectionManifest.ForMemcachedBucket();
        Collections = new BucketCollections(cluster, this);
    }

    /// <summary>The definition the bucket was created from.</summary>
    public BucketDefinition Definition { get; }
    /// <summary>Bucket name.</summary>
    public string Name => Definition.Name;
    /// <summary>Bucket type.</summary>
    public BucketType Type => Definition.Type;
    /// <summary>Bucket UUID (32 hex digits).</summary>
    public string Uuid { get; }
    /// <summary>Number of vBuckets (0 for memcached buckets).</summary>
    public int VBucketCount => Type == BucketType.Couchbase ? Definition.VBuckets : 0;

    /// <summary>Scopes and collections: create and drop them, look ids up (as the REST API and GET_COLLECTION_ID do).</summary>
    public BucketCollections Collections { get; }

    /// <summary>
    /// The collection <paramref name="scope"/>.<paramref name="collection"/>, to read and write its documents directly
    /// (it need not exist yet: each call looks it up by name).
    /// </summary>
    public InProcessCollection Collection(string scope, string collection) => new(_cluster, this, scope, collection);

    /// <summary>The <c>_default</c> collection of the <c>_default</c> scope (what <see cref="Get"/> and <see cref="Upsert"/> use).</summary>
    public InProcessCollection DefaultCollection => Collection(CollectionNames.DefaultName, CollectionNames.DefaultName);

    internal CollectionManifest Manifest { get; }

    internal Partition[] Partitions { get; }
    /// <summary>Rows of node indices (cluster-wide <see cref="InProcessNode.Index"/>), -1 = none.</summary>
    internal int[][] Map { get; set; }
    /// <summary>Target map of a rebalance in progress (published as <c>vBucketMapForward</c>), or null.</summary>
    internal int[][]? ForwardMap { get; set; }

    /// <summary>Bumped whenever a document changes; lets view engines cache.</summary>
    internal long Generation;

    internal ulong NextCas()
    {
        var candidate = (ulong)_cluster.Clock.UtcNow.ToUnixTimeMilliseconds() * 1_000_000UL;
        _lastCas = Math.Max(_lastCas + 1, candidate);
        return _lastCas;
    }

    private static ulong NewVbUuid() => (ulong)Random.Shared.NextInt64(1, long.MaxValue);

    /// <summary>vBucket of a key (CRC32, spec §6.1).</summary>
    public int VBucketOf(string key) =>
        Type == BucketType.Couchbase ? Hashing.VBucketOf(Encoding.UTF8.GetBytes(key), Definition.VBuckets) : 0;

    /// <summary>Index of the node holding the active copy of <paramref name="vBucket"/>, or -1.</summary>
    public int ActiveNodeOf(int vBucket)
    {
        lock (_cluster.Sync) return Map[vBucket][0];
    }

    /// <summary>Indices of the nodes holding replicas of <paramref name="vBucket"/> (absent slots omitted).</summary>
    public IReadOnlyList<int> ReplicaNodesOf(int vBucket)
    {
        lock (_cluster.Sync) return Map[vBucket].Skip(1).Where(n => n >= 0).ToArray();
    }

    /// <summary>A copy of the current vBucket map (rows of node indices; -1 = none).</summary>
    public int[][] CurrentMap()
    {
        lock (_cluster.Sync) return Map.Select(r => (int[])r.Clone()).ToArray();
    }

    /// <summary>The stored document for <paramref name="key"/> in the default collection (memcached: searched on every node).</summary>
    public StoredDocumentInfo? Get(string key)
    {
        lock (_cluster.Sync) return Read(0, key);
    }

    /// <summary>Stores a document in the default collection directly (no network), as an upsert would; returns its new CAS.</summary>
    public ulong Upsert(string key, ReadOnlySpan<byte> value, uint flags = 0x02000000, DataType dataType = DataType.Json,
        int nodeForMemcached = 0)
    {
        lock (_cluster.Sync) return Write(0, key, value, flags, dataType, nodeForMemcached);
    }

    /// <summary>The document <paramref name="key"/> of collection <paramref name="collectionId"/>; call under the lock.</summary>
    internal StoredDocumentInfo? Read(uint collectionId, string key)
    {
        var k = KeyCodec.FromText(key);
        foreach (var p in PartitionsFor(k))
        {
            var d = p.Find(p.DocumentsOf(collectionId), k, _cluster.Clock.UnixSeconds, _cluster.Clock.UnixMilliseconds);
            if (d != null)
                return new StoredDocumentInfo(key, d.Value.ToArray(), d.Flags, d.DataType, d.Cas,
                    d.ExpiryUnixSeconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(d.ExpiryUnixSeconds),
                    d.IsLocked(_cluster.Clock.UnixMilliseconds));
        }
        return null;
    }

    /// <summary>Stores <paramref name="key"/> in collection <paramref name="collectionId"/>; call under the lock.</summary>
    internal ulong Write(uint collectionId, string key, ReadOnlySpan<byte> value, uint flags, DataType dataType, int nodeForMemcached)
    {
        var k = KeyCodec.FromText(key);
        var p = Type == BucketType.Couchbase ? Partitions[VBucketOf(key)] : Partitions[nodeForMemcached];
        var cas = NextCas();
        p.Seqno++;
        p.DocumentsOf(collectionId)[k] = new StoredDocument { Value = value.ToArray(), Flags = flags, DataType = dataType, Cas = cas, Seqno = p.Seqno };
        p.Generation++;
        Generation++;
        return cas;
    }

    /// <summary>Deletes <paramref name="key"/> from collection <paramref name="collectionId"/>; call under the lock.</summary>
    internal bool Delete(uint collectionId, string key)
    {
        var k = KeyCodec.FromText(key);
        foreach (var p in PartitionsFor(k))
        {
            if (p.Find(p.DocumentsOf(collectionId), k, _cluster.Clock.UnixSeconds, _cluster.Clock.UnixMilliseconds) is null) continue;
            p.DocumentsOf(collectionId).Remove(k);
            p.Seqno++;
            p.Generation++;
            Generation++;
            return true;
        }
        return false;
    }

    /// <summary>Live documents of collection <paramref name="collectionId"/>; call under the lock.</summary>
    internal int CountIn(uint collectionId)
    {
        var s = _cluster.Clock.UnixSeconds;
        return Partitions.Sum(p => p.DocumentsOf(collectionId).Values.Count(d => !d.IsExpired(s)));
    }

    /// <summary>Number of live documents, in every collection.</summary>
    public int Count
    {
        get
        {
            lock (_cluster.Sync)
            {
                var s = _cluster.Clock.UnixSeconds;
                return Partitions.Sum(p => p.AllDocuments().Count(d => !d.IsExpired(s)));
            }
        }
    }

    private IEnumerable<Partition> PartitionsFor(string internalKey) =>
        Type == BucketType.Couchbase
            ? new[] { Partitions[Hashing.VBucketOf(KeyCodec.ToBytes(internalKey), Definition.VBuckets)] }
            : Partitions;

    /// <summary>Snapshot of the default collection's live documents as (UTF-8 id, value, flags, datatype), taken under the lock (views index only that collection, as on 7.x).</summary>
    internal List<(string Id, byte[] Value, uint Flags, DataType DataType, ulong Cas, long Expiry)> Snapshot()
    {
        lock (_cluster.Sync)
        {
            var s = _cluster.Clock.UnixSeconds;
            var list = new List<(string, byte[], uint, DataType, ulong, long)>();
            foreach (var p in Partitions)
                foreach (var (k, d) in p.Documents)
                    if (!d.IsExpired(s)) list.Add((KeyCodec.ToText(k), d.Value, d.Flags, d.DataType, d.Cas, d.ExpiryUnixSeconds));
            return list;
        }
    }
}

/// <summary>A copy of one stored document, for assertions.</summary>
/// <param name="Key">Document key.</param>
/// <param name="Value">Value bytes exactly as stored.</param>
/// <param name="Flags">User flags exactly as stored.</param>
/// <param name="DataType">Datatype bits exactly as stored.</param>
/// <param name="Cas">Current (real, never hidden) CAS.</param>
/// <param name="Expiry">Absolute expiry, or null for none.</param>
/// <param name="IsLocked">Whether the document is locked now.</param>
public sealed record StoredDocumentInfo(string Key, byte[] Value, uint Flags, DataType DataType, ulong Cas, DateTimeOffset? Expiry, bool IsLocked);
