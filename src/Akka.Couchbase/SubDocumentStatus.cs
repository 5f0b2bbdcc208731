namespace Akka.Couchbase;

/// <summary>
/// The status of one spec of a <see cref="Kv.LookupIn"/> or <see cref="Kv.MutateIn"/>: how the server found the
/// spec's path. Each value is the server's status code (kv_engine <c>docs/SubDocument.md</c>); a code not named here
/// keeps its numeric value.
/// </summary>
public enum SubDocumentStatus : ushort
{
    /// <summary>The spec did what it asked (for an Exists spec: the path exists).</summary>
    Success = 0x00,
    /// <summary>The path does not exist (a missing dictionary key, an array index past the end).</summary>
    PathNotFound = 0xc0,
    /// <summary>The path treats a value as what it is not (a string as a dictionary, a dictionary as an array), or a counter's value is not an integer.</summary>
    PathMismatch = 0xc1,
    /// <summary>The server could not parse the path.</summary>
    PathInvalid = 0xc2,
    /// <summary>The path is too long, or has too many components (32).</summary>
    PathTooBig = 0xc3,
    /// <summary>The document is too deep for the server to parse.</summary>
    DocumentTooDeep = 0xc4,
    /// <summary>The value cannot be put there: it is not JSON, or (array add-unique) not a JSON primitive.</summary>
    ValueCannotInsert = 0xc5,
    /// <summary>The document is not JSON.</summary>
    DocumentNotJson = 0xc6,
    /// <summary>The counter's current number is outside the signed 64-bit range.</summary>
    NumberTooBig = 0xc7,
    /// <summary>The counter's delta is not valid, or the result would overflow.</summary>
    DeltaInvalid = 0xc8,
    /// <summary>The path already exists (insert), or the value is already in the array (add-unique).</summary>
    PathExists = 0xc9,
    /// <summary>Putting the value there would make the document too deep.</summary>
    ValueTooDeep = 0xca,
    /// <summary>The specs cannot be combined in one command.</summary>
    InvalidCombination = 0xcb,
    /// <summary>The xattr flags of the spec make no sense together.</summary>
    XattrInvalidFlagCombination = 0xce,
    /// <summary>Only one xattr key may be accessed in one command.</summary>
    XattrInvalidKeyCombination = 0xcf,
    /// <summary>The server does not know the macro.</summary>
    XattrUnknownMacro = 0xd0,
    /// <summary>The server does not know the virtual xattr.</summary>
    XattrUnknownVirtualAttribute = 0xd1,
    /// <summary>Virtual xattrs (<c>$document</c>) cannot be changed.</summary>
    XattrCannotModifyVirtualAttribute = 0xd2,
    /// <summary>The xattr key is not valid.</summary>
    XattrInvalid = 0x87,
}
