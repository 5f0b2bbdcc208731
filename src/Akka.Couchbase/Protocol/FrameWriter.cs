using System.Buffers.Binary;

namespace Akka.Couchbase.Protocol;

/// <summary>Writes MCBP frames (spec §1.3). Pure functions over spans; callers own the buffers.</summary>
internal static class FrameWriter
{
    /// <summary>Total size of a frame with the given part lengths.</summary>
    public static int Size(int framingExtras, int extras, int key, int value) =>
        Frame.HeaderSize + framingExtras + extras + key + value;

    /// <summary>Writes the 24-byte header into <paramref name="dest"/>.</summary>
    public static void WriteHeader(Span<byte> dest, byte magic, Opcode opcode, int framingExtrasLength, int extrasLength,
        int keyLength, DataType dataType, ushort vBucketOrStatus, int bodyLength, uint opaque, ulong cas)
    {
        dest[0] = magic;
        dest[1] = (byte)opcode;
        if (Magic.IsFlexible(magic))
        {
            dest[2] = checked((byte)framingExtrasLength);
            dest[3] = checked((byte)keyLength);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(dest.Slice(2), checked((ushort)keyLength));
        }
        dest[4] = checked((byte)extrasLength);
        dest[5] = (byte)dataType;
        BinaryPrimitives.WriteUInt16BigEndian(dest.Slice(6), vBucketOrStatus);
        BinaryPrimitives.WriteInt32BigEndian(dest.Slice(8), bodyLength);
        BinaryPrimitives.WriteUInt32BigEndian(dest.Slice(12), opaque);
        BinaryPrimitives.WriteUInt64BigEndian(dest.Slice(16), cas);
    }

    /// <summary>Writes a whole frame into <paramref name="dest"/> and returns the number of bytes written.</summary>
    public static int Write(Span<byte> dest, byte magic, Opcode opcode, DataType dataType, ushort vBucketOrStatus,
        uint opaque, ulong cas, ReadOnlySpan<byte> framingExtras, ReadOnlySpan<byte> extras, ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> value)
    {
        var body = framingExtras.Length + extras.Length + key.Length + value.Length;
        WriteHeader(dest, magic, opcode, framingExtras.Length, extras.Length, key.Length, dataType, vBucketOrStatus,
            body, opaque, cas);
        var at = Frame.HeaderSize;
        framingExtras.CopyTo(dest.Slice(at)); at += framingExtras.Length;
        extras.CopyTo(dest.Slice(at)); at += extras.Length;
        key.CopyTo(dest.Slice(at)); at += key.Length;
        value.CopyTo(dest.Slice(at)); at += value.Length;
        return at;
    }

    /// <summary>Encodes a classic request frame into a new array.</summary>
    public static byte[] Request(Opcode opcode, uint opaque, ReadOnlySpan<byte> extras = default,
        ReadOnlySpan<byte> key = default, ReadOnlySpan<byte> value = default, ushort vBucket = 0, ulong cas = 0,
        DataType dataType = DataType.Raw)
    {
        var bytes = new byte[Size(0, extras.Length, key.Length, value.Length)];
        Write(bytes, Magic.Request, opcode, dataType, vBucket, opaque, cas, default, extras, key, value);
        return bytes;
    }

    /// <summary>Encodes a classic response frame into a new array.</summary>
    public static byte[] Response(Opcode opcode, KvStatus status, uint opaque, ulong cas = 0,
        ReadOnlySpan<byte> extras = default, ReadOnlySpan<byte> key = default, ReadOnlySpan<byte> value = default,
        DataType dataType = DataType.Raw)
    {
        var bytes = new byte[Size(0, extras.Length, key.Length, value.Length)];
        Write(bytes, Magic.Response, opcode, dataType, (ushort)status, opaque, cas, default, extras, key, value);
        return bytes;
    }
}
