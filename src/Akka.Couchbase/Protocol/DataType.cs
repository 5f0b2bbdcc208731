namespace Akka.Couchbase.Protocol;

/// <summary>Datatype bits of header byte 5 (spec §4.1).</summary>
[Flags]
public enum DataType : byte
{
    /// <summary>Raw bytes.</summary>
    Raw = 0x00,
    /// <summary>The value is JSON (needs HELLO JSON).</summary>
    Json = 0x01,
    /// <summary>The value is Snappy-compressed (needs HELLO SNAPPY).</summary>
    Snappy = 0x02,
    /// <summary>The value begins with an xattr section (needs HELLO XATTR).</summary>
    Xattr = 0x04,
}
