using System.Buffers;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.TestKit.Kv;

/// <summary>Collects the responses to one batch of requests so they go out in one write.</summary>
internal sealed class KvResponder
{
    public ArrayBufferWriter<byte> Buffer { get; } = new(64 * 1024);

    public void Reply(Frame request, KvStatus status, ulong cas = 0, ReadOnlySpan<byte> extras = default,
        ReadOnlySpan<byte> key = default, ReadOnlySpan<byte> value = default, DataType dataType = DataType.Raw)
    {
        var size = FrameWriter.Size(0, extras.Length, key.Length, value.Length);
        var span = Buffer.GetSpan(size);
        FrameWriter.Write(span, Magic.Response, request.Opcode, dataType, (ushort)status, request.Opaque, cas,
            default, extras, key, value);
        Buffer.Advance(size);
    }

    public void Clear() => Buffer.Clear();
}
