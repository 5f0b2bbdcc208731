namespace Akka.Couchbase.Protocol;

/// <summary>The first byte of every MCBP frame (spec §1.2).</summary>
internal static class Magic
{
    /// <summary>Client request, classic header.</summary>
    public const byte Request = 0x80;
    /// <summary>Server response, classic header.</summary>
    public const byte Response = 0x81;
    /// <summary>Client request with flexible framing extras.</summary>
    public const byte AltRequest = 0x08;
    /// <summary>Server response with flexible framing extras.</summary>
    public const byte AltResponse = 0x18;
    /// <summary>Server-initiated request (after HELLO Duplex).</summary>
    public const byte ServerRequest = 0x82;
    /// <summary>Client response to a server-initiated request.</summary>
    public const byte ServerResponse = 0x83;

    /// <summary>True for the magic bytes this codec understands.</summary>
    public static bool IsKnown(byte magic) =>
        magic is Request or Response or AltRequest or AltResponse or ServerRequest or ServerResponse;

    /// <summary>True where header bytes 2 and 3 are framing-extras length and key length.</summary>
    public static bool IsFlexible(byte magic) => magic is AltRequest or AltResponse;
}
