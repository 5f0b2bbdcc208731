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
    /// <summary>
    /// OBSERVE's request body for one key: vBucket (u16), key length (u16), key; with <paramref name="collectionId"/>
    /// (a connection that negotiated Collections) the key starts with the id as unsigned LEB128.
    /// </summary>
    public static byte[] RequestBody(int vBucket, string key, uint? collectionId = null)
    {
        var keyBytes = System.Text.Encoding.UTF8.GetBytes(key);
        var prefix = collectionId is { } id ? Leb128.Size(id) : 0;
        var body = new byte[4 + prefix + keyBytes.Length];
        BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)vBucket);
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(2), (ushort)(prefix + keyBytes.Length));
        if (collectionId is { } cid) Leb128.Write(body.AsSpan(4), cid);
        keyBytes.CopyTo(body, 4 + prefix);
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
