namespace Akka.Couchbase.Protocol.SubDocument;

/// <summary>The document flags of a multi-path command (kv_engine <c>docs/SubDocument.md</c>, "Doc Flags").</summary>
[Flags]
internal enum DocFlags : byte
{
    None = 0x00,
    /// <summary>MKDOC: create the document if it does not exist (upsert semantics; implies MKDIR_P on each path).</summary>
    Mkdoc = 0x01,
    /// <summary>ADD: create the document, failing if it exists (insert semantics; CAS must be 0).</summary>
    Add = 0x02,
    /// <summary>ACCESS_DELETED: operate on a deleted document (its xattrs) instead of answering KEY_ENOENT.</summary>
    AccessDeleted = 0x04,
}
