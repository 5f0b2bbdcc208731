using Akka.Couchbase.TestKit.Cluster;

namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>
/// The document a sub-document command starts from (a copy of what is stored, or the empty document a creating
/// mutation begins with), and the facts the virtual xattrs report about it.
/// </summary>
internal sealed record InputDocument(
    byte[] Body,
    DocumentXattrs Xattrs,
    bool Exists,
    bool Deleted,
    ulong Cas,
    ulong Seqno,
    ulong VBucketUuid,
    long ExpiryUnixSeconds,
    uint Flags)
{
    /// <summary>Whether the body is JSON (the server's own datatype inference).</summary>
    public bool BodyIsJson { get; } = JsonDetector.IsJson(Body);
}
