using System.Buffers.Binary;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>The bodies of multi-path responses (kv_engine <c>daemon/subdocument.cc</c>).</summary>
internal static class SubDocResponse
{
    /// <summary>MULTI_LOOKUP: for every spec, <c>u16 status, u32 length, value</c> (no value for EXISTS or a failure).</summary>
    public static byte[] Lookup(IReadOnlyList<SpecResult> results)
    {
        var size = results.Sum(r => 6 + (r.Value?.Length ?? 0));
        var body = new byte[size];
        var at = 0;
        foreach (var r in results)
        {
            var value = r.Value ?? Array.Empty<byte>();
            BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(at), (ushort)r.Status);
            BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(at + 2), (uint)value.Length);
            value.CopyTo(body, at + 6);
            at += 6 + value.Length;
        }
        return body;
    }

    /// <summary>MULTI_MUTATION success: <c>u8 index, u16 status, u32 length, value</c> for each spec that has a value.</summary>
    public static byte[] MutationSuccess(IReadOnlyList<SpecResult> results)
    {
        using var body = new MemoryStream();
        Span<byte> header = stackalloc byte[7];
        for (var i = 0; i < results.Count; i++)
        {
            var value = results[i].Value;
            if (value is null || value.Length == 0) continue;
            header[0] = (byte)i;
            BinaryPrimitives.WriteUInt16BigEndian(header.Slice(1), (ushort)KvStatus.Success);
            BinaryPrimitives.WriteUInt32BigEndian(header.Slice(3), (uint)value.Length);
            body.Write(header);
            body.Write(value);
        }
        return body.ToArray();
    }

    /// <summary>MULTI_MUTATION failure (status MULTI_PATH_FAILURE): <c>u8 index, u16 status</c> of the first failed spec.</summary>
    public static byte[] MutationFailure(int index, KvStatus status)
    {
        var body = new byte[3];
        body[0] = (byte)index;
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(1), (ushort)status);
        return body;
    }
}
