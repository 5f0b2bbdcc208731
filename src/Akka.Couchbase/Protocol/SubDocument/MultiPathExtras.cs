using System.Buffers.Binary;

namespace Akka.Couchbase.Protocol.SubDocument;

/// <summary>
/// The extras and framing extras of the multi-path commands (kv_engine <c>docs/SubDocument.md</c>, "Multi-Path
/// Commands"; <c>docs/BinaryProtocol.md</c>, "Request header with flexible framing extras"): an optional u32 expiry
/// (mutations only), then an optional u8 of document flags; each is left out when zero, so the extras are 0, 1, 4
/// or 5 bytes. A mutation that keeps the document's expiry carries the preserve-TTL frame info (id 5, no data) as a
/// one-byte framing extra, in a request with magic 0x08.
/// </summary>
internal static class MultiPathExtras
{
    /// <summary>The preserve-TTL frame info: object id 5 in the high nibble, length 0 in the low one.</summary>
    public const byte PreserveTtlFrameInfo = 0x50;

    /// <summary>The extras' length for these fields.</summary>
    public static int Length(uint expiry, DocFlags docFlags) => (expiry != 0 ? 4 : 0) + (docFlags != DocFlags.None ? 1 : 0);

    /// <summary>Writes the extras into <paramref name="dest"/> (exactly <see cref="Length"/> bytes).</summary>
    public static void Write(Span<byte> dest, uint expiry, DocFlags docFlags)
    {
        var at = 0;
        if (expiry != 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(dest, expiry);
            at = 4;
        }
        if (docFlags != DocFlags.None) dest[at] = (byte)docFlags;
    }
}
