using System.Buffers.Binary;

namespace Akka.Couchbase.Protocol;

/// <summary>OBSERVE's key states (spec: 0x00 found, 0x01 persisted, 0x80 not found, 0x81 logically deleted).</summary>
internal enum ObservedKeyState : byte
{
    Found = 0x00,
    Persisted = 0x01,
    NotFound = 0x80,
    LogicallyDeleted = 0x81,
}

/// <summary>What one node's OBSERVE answered for one key.</summary>
internal readonly record struct ObservedKey(ObservedKeyState State, ulong Cas)
{
    /// <summary>OBSERVE's request body for one key: vBucket (u16), key length (u16), key.</summary>
    public static byte[] RequestBody(int vBucket, string key)
    {
        var keyBytes = System.Text.Encoding.UTF8.GetBytes(key);
        var body = new byte[4 + keyBytes.Length];
        BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)vBucket);
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(2), (ushort)keyBytes.Length);
        keyBytes.CopyTo(body, 4);
        return body;
    }

    /// <summary>Reads the first entry of an OBSERVE response value: vBucket, key length, key, state (u8), CAS (u64).</summary>
    public static ObservedKey? Parse(ReadOnlySpan<byte> value)
    {
        if (value.Length < 4) return null;
        var keyLength = BinaryPrimitives.ReadUInt16BigEndian(value.Slice(2));
        if (value.Length < 4 + keyLength + 9) return null;
        var rest = value.Slice(4 + keyLength);
        return new ObservedKey((ObservedKeyState)rest[0], BinaryPrimitives.ReadUInt64BigEndian(rest.Slice(1)));
    }
}
