namespace Akka.Couchbase.TestKit.Views;

/// <summary>
/// What the view engine indexes: the live documents of a bucket. Implemented by the KV side of the cluster.
/// </summary>
public interface IViewDocumentSource
{
    /// <summary>True when the bucket exists (queries on other buckets get 404).</summary>
    bool BucketExists(string bucket);

    /// <summary>
    /// A snapshot of the bucket's live documents (no deleted or expired ones). The enumeration must not
    /// fail when the bucket changes meanwhile.
    /// </summary>
    IEnumerable<ViewSourceDocument> Documents(string bucket);

    /// <summary>
    /// A counter that changes whenever the bucket's documents change, so indexes can be reused between
    /// queries. A negative value (the default) means "unknown": every query rebuilds the index.
    /// </summary>
    long Generation(string bucket) => -1;
}

/// <summary>One document as the view engine sees it.</summary>
/// <param name="Id">The document key.</param>
/// <param name="Value">The raw value bytes.</param>
/// <param name="Flags">The user flags.</param>
/// <param name="Expiration">The expiration (0 = none), as stored.</param>
/// <param name="Cas">The CAS value.</param>
/// <param name="IsJson">True when <paramref name="Value"/> is a JSON document (map functions then get it parsed).</param>
public readonly record struct ViewSourceDocument(string Id, ReadOnlyMemory<byte> Value, uint Flags, uint Expiration, ulong Cas, bool IsJson);
