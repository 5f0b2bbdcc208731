using System.Buffers;

namespace Akka.Couchbase.Transport;

/// <summary>
/// What a read loop of the client's own (the socket and TLS transports) does with each read: the bytes go to the
/// connection in an array of their own, copied out of the loop's buffer without being zeroed first; and a large
/// response that the read begins but does not finish (<see cref="FrameBoundaries"/>) is read on its own, the rest
/// of it straight into an array of the frame's size (rented from the value pool for a successful Get with value
/// pooling on), so that its value is copied once, by the stream, instead of into the loop's buffer, out of it,
/// and again when the decoder assembles it.
/// </summary>
internal sealed class ReadDelivery
{
    /// <summary>How much of a frame must be still unread after a read for the rest of it to be read on its own.</summary>
    internal const int MinDirectBytes = 16 * 1024;

    private readonly FrameBoundaries _frames;
    private readonly ValuePoolingSettings _pooling;
    private readonly Func<Memory<byte>, ValueTask<int>> _receive;
    private readonly Action<byte[]> _chunk;
    private readonly Action<byte[], int, ArrayPool<byte>?> _frame;

    /// <param name="maxBodyLength">The largest response body accepted; larger ones are never read on their own.</param>
    /// <param name="pooling">Value pooling: whether a large Get value read on its own goes into a rented array.</param>
    /// <param name="receive">Reads from the socket or stream into the memory given; 0 at its end.</param>
    /// <param name="chunk">Hands bytes read (an array of their own) to the connection.</param>
    /// <param name="frame">Hands one whole frame (its array, its length, the pool it was rented from) to the connection.</param>
    public ReadDelivery(int maxBodyLength, ValuePoolingSettings pooling, Func<Memory<byte>, ValueTask<int>> receive,
        Action<byte[]> chunk, Action<byte[], int, ArrayPool<byte>?> frame)
    {
        _frames = new FrameBoundaries(MinDirectBytes, maxBodyLength);
        _pooling = pooling;
        _receive = receive;
        _chunk = chunk;
        _frame = frame;
    }

    /// <summary>
    /// Delivers the <paramref name="read"/> bytes at the start of <paramref name="buffer"/> (and, when they begin a
    /// large frame, the rest of that frame, read here). False when the stream ended inside that frame: what arrived
    /// of it was delivered as bytes, and the caller reports the close.
    /// </summary>
    public async ValueTask<bool> DeliverAsync(byte[] buffer, int read)
    {
        var start = _frames.Scan(buffer.AsSpan(0, read), out var frameLength, out var header);
        if (start < 0)
        {
            _chunk(Copy(buffer, 0, read));
            return true;
        }
        if (start > 0) _chunk(Copy(buffer, 0, start)); // the frames before the large one go as any read
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
                _chunk(Copy(frame, 0, filled)); // the decoder keeps it pending; the connection is closing
                return false;
            }
            filled += more;
        }
        _frame(frame, frameLength, rent ? _pooling.Pool : null);
        return true;
    }

    /// <summary>An array of its own holding <paramref name="source"/>[offset..offset+count); every byte is copied in, so it is not zeroed.</summary>
    private static byte[] Copy(byte[] source, int offset, int count)
    {
        var data = GC.AllocateUninitializedArray<byte>(count);
        source.AsSpan(offset, count).CopyTo(data);
        return data;
    }
}
