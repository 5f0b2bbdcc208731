using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>One document as the cluster keeps it: value, flags and datatype verbatim, CAS, expiry, lock.</summary>
internal sealed class StoredDocument
{
    public required byte[] Value;
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
            Generation++;
            return null;
        }
        if (doc.LockedUntilMs != 0 && !doc.IsLocked(nowMs)) doc.LockedUntilMs = 0;
        return doc;
    }
}
