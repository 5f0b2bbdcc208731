using System.Buffers.Binary;

namespace Akka.Couchbase.Protocol.SubDocument;

/// <summary>
/// The body of SUBDOC_MULTI_MUTATION (0xd1), kv_engine <c>docs/SubDocument.md</c> "Multi-Path Commands": the request's
/// value is one <c>u8 opcode, u8 flags, u16 path length, u32 value length, path, value</c> per spec. A successful
/// response's value holds zero or more <c>u8 index, u16 status, u32 value length, value</c>, for the specs that
/// return a value (counters); a SUBDOC_MULTI_PATH_FAILURE response holds exactly one <c>u8 index, u16 status</c>:
/// the first spec that failed.
/// </summary>
internal static class MultiMutationCodec
{
    /// <summary>Bytes of one spec's header in the request.</summary>
    public const int SpecHeaderSize = 8;

    /// <summary>The request value for <paramref name="specs"/>, in their order.</summary>
    public static byte[] Encode(IReadOnlyList<WireSpec> specs)
    {
        var size = 0;
        foreach (var spec in specs) size += SpecHeaderSize + spec.Path.Length + spec.Value.Length;
        var body = new byte[size];
        var at = 0;
        foreach (var spec in specs)
        {
            body[at] = (byte)spec.Opcode;
            body[at + 1] = (byte)spec.Flags;
            BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(at + 2), checked((ushort)spec.Path.Length));
            BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(at + 4), (uint)spec.Value.Length);
            at += SpecHeaderSize;
            spec.Path.CopyTo(body.AsSpan(at));
            at += spec.Path.Length;
            spec.Value.Span.CopyTo(body.AsSpan(at));
            at += spec.Value.Length;
        }
        return body;
    }

    /// <summary>A value a successful multi-mutation returned for the spec at <see cref="Index"/> (in the order sent).</summary>
    public readonly record struct Result(int Index, ushort Status, ReadOnlyMemory<byte> Value);

    /// <summary>Reads the results of a successful response (specs sent: <paramref name="specCount"/>).</summary>
    /// <exception cref="ProtocolException">The value is truncated or names a spec that was not sent.</exception>
    public static List<Result> DecodeSuccess(ReadOnlyMemory<byte> value, int specCount)
    {
        var results = new List<Result>(2);
        var span = value.Span;
        var at = 0;
        while (at < span.Length)
        {
            if (span.Length - at < 3) throw new ProtocolException("multi-mutation result truncated in its index and status");
            var index = ReadIndex(span[at], specCount);
            var status = BinaryPrimitives.ReadUInt16BigEndian(span.Slice(at + 1));
            at += 3;
            if (span.Length - at < 4) throw new ProtocolException($"multi-mutation result for spec {index} truncated in its length");
            var length = BinaryPrimitives.ReadUInt32BigEndian(span.Slice(at));
            at += 4;
            if (length > (uint)(span.Length - at))
                throw new ProtocolException($"multi-mutation result for spec {index} says {length} bytes but {span.Length - at} remain");
            results.Add(new Result(index, status, value.Slice(at, (int)length)));
            at += (int)length;
        }
        return results;
    }

    /// <summary>Reads a SUBDOC_MULTI_PATH_FAILURE response: which spec failed (in the order sent), and its status.</summary>
    /// <exception cref="ProtocolException">The value is not one index and status, or names a spec that was not sent.</exception>
    public static (int Index, ushort Status) DecodeFailure(ReadOnlySpan<byte> value, int specCount)
    {
        if (value.Length < 3)
            throw new ProtocolException($"multi-mutation failure holds {value.Length} bytes; an index and a status take 3");
        return (ReadIndex(value[0], specCount), BinaryPrimitives.ReadUInt16BigEndian(value.Slice(1)));
    }

    private static int ReadIndex(byte index, int specCount) => index < specCount
        ? index
        : throw new ProtocolException($"multi-mutation result names spec {index}; {specCount} specs were sent");
}
