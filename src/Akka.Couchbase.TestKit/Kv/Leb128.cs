namespace Akka.Couchbase.TestKit.Kv;

/// <summary>
/// Unsigned LEB128, as collection ids are written in front of document keys (kv_engine <c>docs/Collections.md</c>):
/// seven bits per byte, least significant first, the high bit set on every byte but the last. The server takes only
/// the canonical (shortest) form of a 32-bit value, at most 5 bytes.
/// </summary>
internal static class Leb128
{
    /// <summary>The longest encoding of a 32-bit value.</summary>
    public const int MaxLength = 5;

    /// <summary>Why a prefix did not decode.</summary>
    public enum Outcome
    {
        /// <summary>Decoded.</summary>
        Ok,
        /// <summary>No byte without the high bit within the first five (or within the input).</summary>
        NoStopByte,
        /// <summary>A longer encoding than the value needs (e.g. <c>81 00</c> for 1), or more than 32 bits.</summary>
        NonCanonical,
    }

    /// <summary>Decodes the value at the start of <paramref name="input"/>; <paramref name="length"/> is its size in bytes.</summary>
    public static Outcome TryDecode(ReadOnlySpan<byte> input, out uint value, out int length)
    {
        value = 0;
        length = 0;
        ulong v = 0;
        for (var i = 0; i < Math.Min(input.Length, MaxLength); i++)
        {
            var b = input[i];
            v |= (ulong)(b & 0x7f) << (7 * i);
            if ((b & 0x80) != 0) continue;
            length = i + 1;
            // canonical: the last byte carries bits (unless the value is 0 in one byte), and the value fits 32 bits
            if ((b == 0 && i > 0) || v > uint.MaxValue) return Outcome.NonCanonical;
            value = (uint)v;
            return Outcome.Ok;
        }
        return Outcome.NoStopByte;
    }

    /// <summary>Writes the canonical encoding of <paramref name="value"/>; returns its length.</summary>
    public static int Encode(uint value, Span<byte> output)
    {
        var i = 0;
        do
        {
            var b = (byte)(value & 0x7f);
            value >>= 7;
            output[i++] = value != 0 ? (byte)(b | 0x80) : b;
        }
        while (value != 0);
        return i;
    }

    /// <summary>The canonical encoding of <paramref name="value"/> as a new array.</summary>
    public static byte[] Encode(uint value)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        return buffer[..Encode(value, buffer)].ToArray();
    }
}
