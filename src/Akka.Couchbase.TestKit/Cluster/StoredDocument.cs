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

/// <summary>The documents of one vBucket (Couchbase bucket) or of one node (memcached bucket).</summary>
internal sealed class Partition
{
    public readonly Dictionary<string, StoredDocument> Documents = new(StringComparer.Ordinal);
    /// <summary>Deleted documents that kept system xattrs; never seen by plain commands.</summary>
    public readonly Dictionary<string, StoredDocument> Tombstones = new(StringComparer.Ordinal);
    public ulong Seqno;
    public ulong Uuid;
    public long Generation;

    public Partition(ulong uuid) => Uuid = uuid;

    /// <summary>The live document for <paramref name="key"/>; an expired one is removed and reported absent.</summary>
    public StoredDocument? Find(string key, long nowSeconds, long nowMs)
    {
        if (!Documents.TryGetValue(key, out var doc)) return null;
        if (doc.IsExpired(nowSeconds))
        {
            Documents.Remove(key);
            Bury(key, doc);
            Generation++;
            return null;
        }
        if (doc.LockedUntilMs != 0 && !doc.IsLocked(nowMs)) doc.LockedUntilMs = 0;
        return doc;
    }

    /// <summary>
    /// Records the deletion of <paramref name="doc"/>: a tombstone with its system xattrs when it has any (as the
    /// server keeps them), otherwise no trace. Any older tombstone of the key is replaced.
    /// </summary>
    public void Bury(string key, StoredDocument doc)
    {
        var system = doc.Xattrs.SystemOnly();
        if (system.IsEmpty)
        {
            Tombstones.Remove(key);
            return;
        }
        Tombstones[key] = new StoredDocument
        {
            Value = Array.Empty<byte>(),
            Xattrs = system,
            Deleted = true,
            Cas = doc.Cas,
            Seqno = doc.Seqno,
        };
    }
}
