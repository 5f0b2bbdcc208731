using System.Buffers.Binary;

namespace Akka.Couchbase.Protocol;

/// <summary>
/// The server's own time on a request (kv_engine docs/BinaryProtocol.md, response framing extras, frame id 0): sent
/// in responses with magic 0x18 once HELLO negotiated Tracing, as 2 bytes of a variable-precision value,
/// <c>encoded = (micros * 2) ^ (1 / 1.74)</c>, <c>micros = (encoded ^ 1.74) / 2</c>. A frame info's first byte holds
/// its id (high 4 bits) and length (low 4 bits); 15 in either escapes to 15 + the next byte.
/// </summary>
internal static class ServerDuration
{
    /// <summary>The frame info id of the server duration.</summary>
    public const int FrameId = 0;

    /// <summary>The length of the framing extras of a response that carries only its server duration: 3 bytes.</summary>
    public const int FramingExtrasLength = 3;

    /// <summary>The duration in the framing extras, in microseconds; false when there is none (or they are malformed).</summary>
    public static bool TryRead(ReadOnlySpan<byte> framingExtras, out double micros)
    {
        micros = 0;
        var at = 0;
        while (at < framingExtras.Length)
        {
            int id = framingExtras[at] >> 4, length = framingExtras[at] & 0x0f;
            at++;
            if (id == 15)
            {
                if (at >= framingExtras.Length) return false;
                id = 15 + framingExtras[at++];
            }
            if (length == 15)
            {
                if (at >= framingExtras.Length) return false;
                length = 15 + framingExtras[at++];
            }
            if (at + length > framingExtras.Length) return false;
            if (id == FrameId && length == 2)
            {
                micros = Decode(BinaryPrimitives.ReadUInt16BigEndian(framingExtras.Slice(at)));
                return true;
            }
            at += length;
        }
        return false;
    }

    /// <summary>Microseconds from the 2-byte encoding.</summary>
    public static double Decode(ushort encoded) => Math.Pow(encoded, 1.74) / 2;

    /// <summary>The 2-byte encoding of <paramref name="micros"/> (about 120 s at most; longer saturates).</summary>
    public static ushort Encode(double micros) =>
        micros <= 0 ? (ushort)0 : (ushort)Math.Min(ushort.MaxValue, Math.Round(Math.Pow(micros * 2, 1 / 1.74)));

    /// <summary>Writes the framing extras carrying <paramref name="micros"/> (<see cref="FramingExtrasLength"/> bytes).</summary>
    public static void Write(Span<byte> destination, double micros)
    {
        destination[0] = (FrameId << 4) | 2;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(1), Encode(micros));
    }
}
