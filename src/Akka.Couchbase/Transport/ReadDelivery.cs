using System.Buffers;

namespace Akka.Couchbase.Transport;

/// <summary>
/// What a read loop of the client's own (the socket and TLS transports) does with each read: the bytes go to the
/// connection in an array of their own, never written again. A small read is copied out of the loop's buffer (into
/// an array of its size, not zeroed first); a read of at least <see cref="MinHandOverBytes"/> goes in the loop's
/// buffer itself, and the loop reads on into a new one, so that the bytes are not copied at all. And a large
/// response that the read begins but does not finish (<see cref="FrameBoundaries"/>) is read on its own, the rest
/// of it straight into an array of the frame's size (rented from the value pool for a successful Get with value
/// pooling on), so that its value is copied once, by the stream, instead of into the loop's buffer, out of it,
/// and again when the decoder assembles it.
/// </summary>
internal sealed class ReadDelivery
{
    /// <summary>The read loop's buffer: the most one read takes (as Akka.IO's <c>maximum-frame-size</c>).</summary>
    internal const int BufferSize = 64 * 1024;

    /// <summary>How much of a frame must be still unread after a read for the rest of it to be read on its own.</summary>
    internal const int MinDirectBytes = 16 * 1024;

    /// <summary>
    /// The smallest read handed to the connection in the loop's own buffer (which the loop then replaces) rather than
    /// copied: seven eighths of the buffer, so that the buffer handed over is at most an eighth larger than the bytes
    /// a copy would have taken. Such reads come when responses arrive faster than one read takes them (large values,
    /// many in flight); a read of a few responses is copied as before, and so is every TLS read (a record, at most
    /// 16 KiB).
    /// </summary>
    internal const int MinHandOverBytes = BufferSize - BufferSize / 8;

    private readonly FrameBoundaries _frames;
    private readonly ValuePoolingSettings _pooling;
    private readonly Func<Memory<byte>, ValueTask<int>> _receive;
    private readonly Action<byte[], int> _chunk;
    private readonly Action<byte[], int, ArrayPool<byte>?> _frame;

    /// <param name="maxBodyLength">The largest response body accepted; larger ones are never read on their own.</param>
    /// <param name="pooling">Value pooling: whether a large Get value read on its own goes into a rented array.</param>
    /// <param name="receive">Reads from the socket or stream into the memory given; 0 at its end.</param>
    /// <param name="chunk">Hands bytes read (the first count bytes of an array of their own) to the connection.</param>
    /// <param name="frame">Hands one whole frame (its array, its length, the pool it was rented from) to the connection.</param>
    public ReadDelivery(int maxBodyLength, ValuePoolingSettings pooling, Func<Memory<byte>, ValueTask<int>> receive,
        Action<byte[], int> chunk, Action<byte[], int, ArrayPool<byte>?> frame)
    {
        _frames = new FrameBoundaries(MinDirectBytes, maxBodyLength);
        _pooling = pooling;
        _receive = receive;
        _chunk = chunk;
        _frame = frame;
    }

    /// <summary>
    /// Delivers the <paramref name="read"/> bytes at the start of <paramref name="buffer"/> (and, when they begin a
    /// large frame, the rest of that frame, read here). Returns the buffer for the next read: the same one, or a new
    /// one when this one went to the connection. Null when the stream ended inside that frame: what arrived of it was
    /// delivered as bytes, and the caller reports the close.
    /// </summary>
    public async ValueTask<byte[]?> DeliverAsync(byte[] buffer, int read)
    {
        var start = _frames.Scan(buffer.AsSpan(0, read), out var frameLength, out var header);
        if (start < 0) return Deliver(buffer, read);
        // The frames before the large one go as any read; when the buffer itself goes, the large frame's first bytes
        // are still read from it below (the connection never writes to what it is given).
        var next = start > 0 ? Deliver(buffer, start) : buffer;
        var rent = _pooling.Enabled && frameLength - Protocol.Frame.HeaderSize >= _pooling.MinSize &&
                   Protocol.FrameDecoder.IsSuccessfulGetReply(header);
        var frame = rent ? _pooling.Pool.Rent(frameLength) : GC.AllocateUninitializedArray<byte>(frameLength);
        var filled = read - start;
        buffer.AsSpan(start, filled).CopyTo(frame);
        while (filled < frameLength)
        {
            var more = await _receive(frame.AsMemory(filled, frameLength - filled)).ConfigureAwait(false);
            if (more == 0)
            {
                _chunk(Copy(frame, 0, filled), filled); // the decoder keeps it pending; the connection is closing
                return null;
            }
            filled += more;
        }
        _frame(frame, frameLength, rent ? _pooling.Pool : null);
        return next;
    }

    /// <summary>Hands the first <paramref name="count"/> bytes of the loop's buffer to the connection; returns the buffer to read into next.</summary>
    private byte[] Deliver(byte[] buffer, int count)
    {
        if (count < MinHandOverBytes)
        {
            _chunk(Copy(buffer, 0, count), count);
            return buffer;
        }
        _chunk(buffer, count);
        return GC.AllocateUninitializedArray<byte>(buffer.Length);
    }

    /// <summary>An array of its own holding <paramref name="source"/>[offset..offset+count); every byte is copied in, so it is not zeroed.</summary>
    private static byte[] Copy(byte[] source, int offset, int count)
    {
        var data = GC.AllocateUninitializedArray<byte>(count);
        source.AsSpan(offset, count).CopyTo(data);
        return data;
    }
}
