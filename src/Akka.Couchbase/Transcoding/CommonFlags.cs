namespace Akka.Couchbase.Transcoding;

/// <summary>
/// The SDK "common flags" stored with every document (spec §4.2): the top byte is <c>ccc r ffff</c>
/// (compression, reserved, format); bits 23..0 are ignored on read. This client writes the base values below
/// and reads any SDK's flags by the top byte only.
/// </summary>
public static class CommonFlags
{
    /// <summary>SDK-private serialization.</summary>
    public const uint Private = 0x01000000;
    /// <summary>JSON.</summary>
    public const uint Json = 0x02000000;
    /// <summary>Raw bytes.</summary>
    public const uint Binary = 0x03000000;
    /// <summary>UTF-8 text.</summary>
    public const uint String = 0x04000000;

    /// <summary>
    /// The format of a document with these flags: the format nibble when the top byte is non-zero, otherwise
    /// <see cref="DocumentFormat.Legacy"/> (also returned for format nibbles no SDK defines).
    /// </summary>
    public static DocumentFormat FormatOf(uint flags)
    {
        var top = flags >> 24;
        if (top == 0) return DocumentFormat.Legacy;
        return (top & 0x0f) switch
        {
            1 => DocumentFormat.Private,
            2 => DocumentFormat.Json,
            3 => DocumentFormat.Binary,
            4 => DocumentFormat.String,
            _ => DocumentFormat.Legacy,
        };
    }

    /// <summary>The 3-bit compression field of the top byte; 0 means uncompressed, the only value this client reads.</summary>
    public static int CompressionOf(uint flags) => (int)(flags >> 29);
}
