using System.Buffers.Binary;
using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Tests.Support;

namespace Akka.Couchbase.TestKit.Tests.Collections;

/// <summary>
/// Raw collections frames for tests: a connection that negotiated HELLO Collections, document keys with a collection
/// id in front, and the extras of GET_COLLECTION_ID / GET_SCOPE_ID answers.
/// </summary>
internal static class CollectionFrames
{
    public const Opcode GetScopeId = (Opcode)0xbc;
    public const KvStatus UnknownScope = (KvStatus)0x8c;

    /// <summary>Connects, HELLOs with Collections (and XERROR, JSON, MUTATION_SEQNO, SELECT_BUCKET), authenticates and selects the bucket.</summary>
    public static async Task<RawKvClient> ConnectAsync(int port, string bucket = "default", params HelloFeature[] more)
    {
        var c = await RawKvClient.ConnectAsync(port);
        var acked = await c.HelloAsync(new[] { HelloFeature.Collections, HelloFeature.XError, HelloFeature.Json,
            HelloFeature.MutationSeqno, HelloFeature.SelectBucket }.Concat(more).ToArray());
        if (!acked.Contains((ushort)HelloFeature.Collections)) throw new InvalidOperationException("Collections not acked");
        if ((await c.PlainAsync("Administrator", "password")).Status != KvStatus.Success) throw new InvalidOperationException("auth failed");
        if ((await c.SelectBucketAsync(bucket)).Status != KvStatus.Success) throw new InvalidOperationException("select failed");
        return c;
    }

    /// <summary><paramref name="prefix"/> (a collection id as the wire carries it) followed by the UTF-8 key.</summary>
    public static byte[] Key(byte[] prefix, string key) => prefix.Concat(Encoding.UTF8.GetBytes(key)).ToArray();

    /// <summary>The key with <paramref name="collectionId"/> in front as unsigned LEB128 (ids below 0x4000 here).</summary>
    public static byte[] Key(uint collectionId, string key) => Key(collectionId switch
    {
        < 0x80 => new[] { (byte)collectionId },
        < 0x4000 => new[] { (byte)(0x80 | (collectionId & 0x7f)), (byte)(collectionId >> 7) },
        _ => throw new ArgumentOutOfRangeException(nameof(collectionId)),
    }, key);

    /// <summary>One request with a raw key; returns its response.</summary>
    public static async Task<Frame> RequestAsync(this RawKvClient c, Opcode opcode, byte[] key, ReadOnlyMemory<byte> extras = default,
        ReadOnlyMemory<byte> value = default, ushort vBucket = 0, DataType dataType = DataType.Raw)
    {
        var opaque = c.NextOpaque();
        await c.SendAsync(FrameWriter.Request(opcode, opaque, extras.Span, key, value.Span, vBucket, 0, dataType));
        var f = await c.ReadAsync() ?? throw new IOException("connection closed by the server");
        if (f.Opaque != opaque) throw new InvalidOperationException($"opaque mismatch {f.Opaque} != {opaque}");
        return f;
    }

    public static Task<Frame> SetAsync(this RawKvClient c, byte[] key, string json, ushort vBucket) =>
        c.RequestAsync(Opcode.Set, key, RawKvClient.Extras(0x02000000, 0), Encoding.UTF8.GetBytes(json), vBucket, DataType.Json);

    public static Task<Frame> GetAsync(this RawKvClient c, byte[] key, ushort vBucket) => c.RequestAsync(Opcode.Get, key, vBucket: vBucket);

    /// <summary>GET_COLLECTION_ID or GET_SCOPE_ID with the path in the value (as libcouchbase sends it).</summary>
    public static Task<Frame> LookUpAsync(this RawKvClient c, Opcode opcode, string path) =>
        c.RequestAsync(opcode, Array.Empty<byte>(), value: Encoding.UTF8.GetBytes(path));

    /// <summary>The (manifest uid, id) extras of a GET_COLLECTION_ID / GET_SCOPE_ID answer.</summary>
    public static (ulong ManifestUid, uint Id) Ids(Frame f) =>
        f.ExtrasLength == 12
            ? (BinaryPrimitives.ReadUInt64BigEndian(f.Extras), BinaryPrimitives.ReadUInt32BigEndian(f.Extras.Slice(8)))
            : throw new InvalidOperationException($"expected 12 bytes of extras, got {f.ExtrasLength} (status {f.Status})");

    public static string Body(Frame f) => Encoding.UTF8.GetString(f.Value);
}
