using System.Buffers.Binary;
using System.Numerics;

namespace Akka.Couchbase.Routing;

/// <summary>
/// MD5 (RFC 1321) in managed code, for ketama's per-key hash. Keys are at most 250 bytes: hashing them through
/// the platform's MD5 (OpenSSL on Linux, a native call and a context per key) cost several times the hash itself
/// on the memcached-bucket path. Not for anything security related (MD5 is not a secure hash).
/// </summary>
internal static class Md5
{
    private static readonly uint[] K = CreateK();
    private static readonly int[] S =
    {
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    };

    private static uint[] CreateK()
    {
        var k = new uint[64];
        for (var i = 0; i < 64; i++) k[i] = (uint)(long)Math.Floor(Math.Abs(Math.Sin(i + 1)) * 4294967296.0);
        return k;
    }

    /// <summary>Writes the 16-byte digest of <paramref name="data"/> (up to 1 KiB) into <paramref name="digest"/>.</summary>
    public static void HashData(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        if (data.Length > 1024) throw new ArgumentOutOfRangeException(nameof(data), "at most 1 KiB");
        // Padding: 0x80, zeros to 56 mod 64, then the bit length (little-endian u64).
        var total = (data.Length + 8) / 64 * 64 + 64;
        Span<byte> message = stackalloc byte[total];
        message.Clear();
        data.CopyTo(message);
        message[data.Length] = 0x80;
        BinaryPrimitives.WriteUInt64LittleEndian(message.Slice(total - 8), (ulong)data.Length * 8);

        uint a0 = 0x67452301, b0 = 0xefcdab89, c0 = 0x98badcfe, d0 = 0x10325476;
        Span<uint> m = stackalloc uint[16];
        for (var offset = 0; offset < total; offset += 64)
        {
            for (var i = 0; i < 16; i++) m[i] = BinaryPrimitives.ReadUInt32LittleEndian(message.Slice(offset + 4 * i));
            uint a = a0, b = b0, c = c0, d = d0;
            for (var i = 0; i < 64; i++)
            {
                uint f;
                int g;
                switch (i >> 4)
                {
                    case 0: f = (b & c) | (~b & d); g = i; break;
                    case 1: f = (d & b) | (~d & c); g = (5 * i + 1) & 15; break;
                    case 2: f = b ^ c ^ d; g = (3 * i + 5) & 15; break;
                    default: f = c ^ (b | ~d); g = (7 * i) & 15; break;
                }
                f = f + a + K[i] + m[g];
                a = d;
                d = c;
                c = b;
                b += BitOperations.RotateLeft(f, S[i]);
            }
            a0 += a; b0 += b; c0 += c; d0 += d;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(digest, a0);
        BinaryPrimitives.WriteUInt32LittleEndian(digest.Slice(4), b0);
        BinaryPrimitives.WriteUInt32LittleEndian(digest.Slice(8), c0);
        BinaryPrimitives.WriteUInt32LittleEndian(digest.Slice(12), d0);
    }
}
