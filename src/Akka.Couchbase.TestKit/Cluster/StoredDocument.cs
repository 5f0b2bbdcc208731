using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>
/// One document as the cluster keeps it: value, flags and datatype verbatim, CAS, expiry, lock, and its extended
/// attributes beside the body (a plain GET returns only the body; a SET keeps the xattrs).
/// </summary>
internal sealed class StoredDocument
{
    public required byte[] Value;
    /// <summary>Extended attributes (sub-document xattr paths read and write them).</summary>
    public DocumentXattrs Xattrs = DocumentXattrs.Empty;
    /// <summary>A tombstone: deleted, kept only for its system xattrs (reached with the access-deleted doc flag).</summary>
    public bool Deleted;
    public uint Flags;
    public DataType DataType;
    public ulong Cas;
    /// <summary>Absolute Unix seconds; 0 = never.</summary>
    public long ExpiryUnixSeconds;
    /// <summary>Unix milliseconds until which the document is locked; 0 = not locked.</summary>
    public long LockedUntilMs;
    public ulong Seqno;

    public bool IsExpired(long nowSeconds) => ExpiryUnixSeconds != 0 && nowSeconds >= ExpiryUnixSeconds;

    public bool IsLocked(long nowMs) => LockedUntilMs != 0 && nowMs < LockedUntilMs;
}

/// <summary>
/// The documents of one vBucket (Couchbase bucket) or of one node (memcached bucket), collection by collection: the
/// default collection's in <see cref="Documents"/>, every other's in <see cref="Collections"/> by collection id. The
/// sequence number and the uuid are the vBucket's, shared by its collections.
/// </summary>
internal sealed class Partition
{
    /// <summary>The default collection's documents (the only ones views and memcached buckets see).</summary>
    public readonly Dictionary<string, StoredDocument> Documents = new(StringComparer.Ordinal);
    /// <summary>The documents of the other collections, by collection id (made at first use).</summary>
    public readonly Dictionary<uint, Dictionary<string, StoredDocument>> Collections = new();
    /// <summary>
    /// Deleted documents that kept system xattrs, by the document table of their collection (a dropped collection's
    /// go with its table); never seen by plain commands.
    /// </summary>
    private readonly Dictionary<Dictionary<string, StoredDocument>, Dictionary<string, StoredDocument>> _tombstones =
        new(ReferenceEqualityComparer.Instance);
    public ulong Seqno;
    public ulong Uuid;
    public long Generation;

    public Partition(ulong uuid) => Uuid = uuid;

    /// <summary>The documents of collection <paramref name="collectionId"/> in this partition.</summary>
    public Dictionary<string, StoredDocument> DocumentsOf(uint collectionId)
    {
        if (collectionId == 0) return Documents;
        if (!Collections.TryGetValue(collectionId, out var docs))
            Collections[collectionId] = docs = new Dictionary<string, StoredDocument>(StringComparer.Ordinal);
        return docs;
    }

    /// <summary>Every document of every collection.</summary>
    public IEnumerable<StoredDocument> AllDocuments() => Documents.Values.Concat(Collections.Values.SelectMany(d => d.Values));

    /// <summary>Deletes every document of a dropped collection.</summary>
    public void Drop(uint collectionId)
    {
        if (collectionId == 0) Documents.Clear();
        else Collections.Remove(collectionId);
        Generation++;
    }

    /// <summary>Deletes every document of every collection (FLUSH).</summary>
    public void Clear()
    {
        Documents.Clear();
        Collections.Clear();
        _tombstones.Clear();
        Generation++;
    }

    /// <summary>The live document for <paramref name="key"/> in the default collection.</summary>
    public StoredDocument? Find(string key, long nowSeconds, long nowMs) => Find(Documents, key, nowSeconds, nowMs);

    /// <summary>The live document for <paramref name="key"/> in <paramref name="docs"/>; an expired one is removed and reported absent.</summary>
    public StoredDocument? Find(Dictionary<string, StoredDocument> docs, string key, long nowSeconds, long nowMs)
    {
        if (!docs.TryGetValue(key, out var doc)) return null;
        if (doc.IsExpired(nowSeconds))
        {
            docs.Remove(key);
            Bury(docs, key, doc);
            Generation++;
            return null;
        }
        if (doc.LockedUntilMs != 0 && !doc.IsLocked(nowMs)) doc.LockedUntilMs = 0;
        return doc;
    }

    /// <summary>The tombstones of the collection whose documents are <paramref name="docs"/>.</summary>
    public Dictionary<string, StoredDocument> TombstonesOf(Dictionary<string, StoredDocument> docs)
    {
        if (!_tombstones.TryGetValue(docs, out var tombs))
            _tombstones[docs] = tombs = new Dictionary<string, StoredDocument>(StringComparer.Ordinal);
        return tombs;
    }

    /// <summary>
    /// Records the deletion of <paramref name="doc"/>: a tombstone with its system xattrs when it has any (as the
    /// server keeps them), otherwise no trace. Any older tombstone of the key is replaced.
    /// </summary>
    public void Bury(Dictionary<string, StoredDocument> docs, string key, StoredDocument doc)
    {
        var system = doc.Xattrs.SystemOnly();
        if (system.IsEmpty)
        {
            TombstonesOf(docs).Remove(key);
            return;
        }
        TombstonesOf(docs)[key] = new StoredDocument
        {
            Value = Array.Empty<byte>(),
            Xattrs = system,
            Deleted = true,
            Cas = doc.Cas,
            Seqno = doc.Seqno,
        };
    }
}
