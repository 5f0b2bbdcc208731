namespace Akka.Couchbase.Protocol.SubDocument;

/// <summary>The per-spec (path) flags of a sub-document spec (kv_engine <c>docs/SubDocument.md</c>, "Path Flags").</summary>
[Flags]
internal enum PathFlags : byte
{
    None = 0x00,
    /// <summary>MKDIR_P: create missing intermediate dictionaries (mutations only).</summary>
    CreatePath = 0x01,
    /// <summary>XATTR_PATH: the path's first component names an extended attribute.</summary>
    Xattr = 0x04,
    /// <summary>EXPAND_MACROS: expand <c>${Mutation.CAS}</c> and the like in the value (xattrs only).</summary>
    ExpandMacros = 0x10,
}
