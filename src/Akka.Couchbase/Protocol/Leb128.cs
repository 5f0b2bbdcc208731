namespace Akka.Couchbase.Protocol;

/// <summary>
/// Unsigned LEB128, canonical form: the collection id in front of a key on a connection that negotiated Collections
/// (kv_engine docs/Collections.md): 7 bits per byte, least significant first, the high bit set on every byte but
/// the last; a 32-bit id takes 1 to 5 bytes (0 is the single byte 0x00).
/// </summary>
internal static class Leb128
{
    /// <summary>The number of bytes <paramref name="value"/> takes.</summary>
    public static int Size(uint value)
    {
        var n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }
        return n;
    }

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="dest"/>; returns the bytes written.</summary>
    public static int Write(Span<byte> dest, uint value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            dest[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        dest[i++] = (byte)value;
        return i;
    }

    /// <summary>Reads a canonical value from the start of <paramref name="source"/>; false when it is not one.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out uint value, out int length)
    {
        value = 0;
        length = 0;
        for (var i = 0; i < 5 && i < source.Length; i++)
        {
            var b = source[i];
            if (i == 4 && b > 0x0f) return false; // beyond 32 bits
            value |= (uint)(b & 0x7f) << (7 * i);
            if ((b & 0x80) != 0) continue;
            if (i > 0 && b == 0) return false; // a trailing zero byte is not canonical
            length = i + 1;
            return true;
        }
        return false;
    }
}
