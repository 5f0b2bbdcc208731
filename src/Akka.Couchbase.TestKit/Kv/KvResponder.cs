using System.Buffers;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.TestKit.Kv;

/// <summary>
/// Collects the responses to one batch of requests so they go out in one write. Once the connection negotiated
/// Tracing (HELLO), each response says how long the node worked on its request, from <see cref="Began"/> to the
/// reply (magic 0x18, framing extras frame id 0: <see cref="ServerDuration"/>), as Couchbase Server does.
/// </summary>
internal sealed class KvResponder
{
    public ArrayBufferWriter<byte> Buffer { get; } = new(64 * 1024);

    /// <summary>Whether responses carry the server duration (the connection negotiated Tracing).</summary>
    public bool Tracing { get; set; }

    /// <summary>When the request being answered was taken (Stopwatch timestamp), set before it is handled.</summary>
    public long Began { get; set; }

    public void Reply(Frame request, KvStatus status, ulong cas = 0, ReadOnlySpan<byte> extras = default,
        ReadOnlySpan<byte> key = default, ReadOnlySpan<byte> value = default, DataType dataType = DataType.Raw)
    {
        Span<byte> framing = stackalloc byte[ServerDuration.FramingExtrasLength];
        var traced = Tracing && key.Length <= byte.MaxValue;
        if (traced) ServerDuration.Write(framing, System.Diagnostics.Stopwatch.GetElapsedTime(Began).TotalMicroseconds);
        else framing = default;
        var size = FrameWriter.Size(framing.Length, extras.Length, key.Length, value.Length);
        var span = Buffer.GetSpan(size);
        FrameWriter.Write(span, traced ? Magic.AltResponse : Magic.Response, request.Opcode, dataType, (ushort)status,
            request.Opaque, cas, framing, extras, key, value);
        Buffer.Advance(size);
    }

    public void Clear() => Buffer.Clear();
}
