namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>Flags of one path (kv_engine <c>cb::mcbp::subdoc::PathFlag</c>).</summary>
[Flags]
internal enum PathFlags : byte
{
    None = 0,
    /// <summary>Create missing parent dictionaries.</summary>
    MkdirP = 0x01,
    /// <summary>The path names an extended attribute.</summary>
    Xattr = 0x04,
    /// <summary>Expand <c>${Mutation.CAS}</c> and the other macros (xattrs only).</summary>
    ExpandMacros = 0x10,
    /// <summary>The xattr value is binary (kept base64-encoded).</summary>
    BinaryValue = 0x20,
}

/// <summary>Flags of the whole document (kv_engine <c>cb::mcbp::subdoc::DocFlag</c>).</summary>
[Flags]
internal enum DocFlags : byte
{
    None = 0,
    /// <summary>Create the document if missing (upsert semantics).</summary>
    Mkdoc = 0x01,
    /// <summary>Create the document; fail if it exists (insert semantics).</summary>
    Add = 0x02,
    /// <summary>Also reach a deleted document (a tombstone with system xattrs).</summary>
    AccessDeleted = 0x04,
    /// <summary>Create the document as a tombstone.</summary>
    CreateAsDeleted = 0x08,
    /// <summary>Make a tombstone alive again.</summary>
    ReviveDocument = 0x10,
    /// <summary>Read from a replica vBucket.</summary>
    ReplicaRead = 0x20,
}
