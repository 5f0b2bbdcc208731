using System.Buffers.Binary;

namespace Akka.Couchbase.Protocol.SubDocument;

/// <summary>
/// The body of SUBDOC_MULTI_LOOKUP (0xd0), kv_engine <c>docs/SubDocument.md</c> "Multi-Path Commands": the request's
/// value is one <c>u8 opcode, u8 flags, u16 path length, path</c> per spec; the response's value is one
/// <c>u16 status, u32 value length, value</c> per spec, in the same order, whenever the document was found
/// (header status SUCCESS or SUBDOC_MULTI_PATH_FAILURE, or their "deleted" forms).
/// </summary>
internal static class MultiLookupCodec
{
    /// <summary>Bytes of one spec's header in the request.</summary>
    public const int SpecHeaderSize = 4;

    /// <summary>Bytes of one result's header in the response.</summary>
    public const int ResultHeaderSize = 6;

    /// <summary>The request value for <paramref name="specs"/>, in their order.</summary>
    public static byte[] Encode(IReadOnlyList<WireSpec> specs)
    {
        var size = 0;
        foreach (var spec in specs) size += SpecHeaderSize + spec.Path.Length;
        var body = new byte[size];
        var at = 0;
        foreach (var spec in specs)
        {
            body[at] = (byte)spec.Opcode;
            body[at + 1] = (byte)spec.Flags;
            BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(at + 2), checked((ushort)spec.Path.Length));
            spec.Path.CopyTo(body.AsSpan(at + SpecHeaderSize));
            at += SpecHeaderSize + spec.Path.Length;
        }
        return body;
    }

    /// <summary>One lookup result: the spec's status and its value (a range of the response's value).</summary>
    public readonly record struct Result(ushort Status, ReadOnlyMemory<byte> Value);

    /// <summary>Reads the <paramref name="expected"/> results of a response value.</summary>
    /// <exception cref="ProtocolException">The value is truncated, holds another number of results, or has bytes left over.</exception>
    public static Result[] Decode(ReadOnlyMemory<byte> value, int expected)
    {
        var results = new Result[expected];
        var span = value.Span;
        var at = 0;
        for (var i = 0; i < expected; i++)
        {
            if (span.Length - at < ResultHeaderSize)
                throw new ProtocolException($"multi-lookup response holds {i} results; {expected} specs were sent");
            var status = BinaryPrimitives.ReadUInt16BigEndian(span.Slice(at));
            var length = BinaryPrimitives.ReadUInt32BigEndian(span.Slice(at + 2));
            at += ResultHeaderSize;
            if (length > (uint)(span.Length - at))
                throw new ProtocolException($"multi-lookup result {i} says {length} bytes but {span.Length - at} remain");
            results[i] = new Result(status, value.Slice(at, (int)length));
            at += (int)length;
        }
        if (at != span.Length)
            throw new ProtocolException($"multi-lookup response has {span.Length - at} bytes after its {expected} results");
        return results;
    }
}
