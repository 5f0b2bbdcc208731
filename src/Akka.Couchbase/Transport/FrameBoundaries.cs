using System.Buffers.Binary;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.Transport;

/// <summary>
/// Where a socket read loop stands in the stream of frames: inside a header, or so many body bytes before the next
/// frame. It reads only what it needs to find the frames' lengths (it validates nothing: the connection's
/// <see cref="FrameDecoder"/> does), so that a read loop can spot a large response frame that the read it just
/// took begins but does not finish, and read the rest of it straight into an array of that frame's own size.
/// </summary>
internal sealed class FrameBoundaries
{
    private readonly byte[] _header = new byte[Frame.HeaderSize];
    private readonly int _minDirectBytes;
    private readonly int _maxBodyLength;
    private int _headerFill;
    private long _bodyRemaining;

    /// <param name="minDirectBytes">How many bytes of a frame must be still unread for it to be read on its own.</param>
    /// <param name="maxBodyLength">The largest body the connection accepts (larger headers are left to the decoder).</param>
    public FrameBoundaries(int minDirectBytes, int maxBodyLength)
    {
        _minDirectBytes = minDirectBytes;
        _maxBodyLength = maxBodyLength;
    }

    /// <summary>
    /// Follows the frames through <paramref name="chunk"/>, the bytes of the next read. Returns where in it a
    /// response frame begins that the chunk does not finish and of which at least the minimum is still unread, or
    /// -1. With a frame found, <paramref name="frameLength"/> is its whole length (header and body) and
    /// <paramref name="header"/> its header, and the boundaries stand at the end of that frame: the caller reads the
    /// rest of it.
    /// </summary>
    public int Scan(ReadOnlySpan<byte> chunk, out int frameLength, out ReadOnlySpan<byte> header)
    {
        frameLength = 0;
        header = default;
        var position = 0;
        while (position < chunk.Length)
        {
            if (_bodyRemaining > 0)
            {
                var skip = (int)Math.Min(_bodyRemaining, chunk.Length - position);
                position += skip;
                _bodyRemaining -= skip;
                continue;
            }
            var start = position - _headerFill; // negative when the header began in an earlier read
            var take = Math.Min(Frame.HeaderSize - _headerFill, chunk.Length - position);
            chunk.Slice(position, take).CopyTo(_header.AsSpan(_headerFill));
            _headerFill += take;
            position += take;
            if (_headerFill < Frame.HeaderSize) break;
            _headerFill = 0;
            var bodyLength = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(8));
            var unread = (long)bodyLength - (chunk.Length - position);
            if (start >= 0 && unread >= _minDirectBytes && Plausible(_header, bodyLength))
            {
                frameLength = Frame.HeaderSize + (int)bodyLength;
                header = _header;
                return start;
            }
            _bodyRemaining = bodyLength;
        }
        return -1;
    }

    /// <summary>
    /// A response header that the decoder would accept as far as its lengths go (magic, body within the maximum,
    /// framing extras, extras and key within the body): any other is left to the decoder, which refuses it at once
    /// instead of after its body arrived.
    /// </summary>
    private bool Plausible(ReadOnlySpan<byte> h, uint bodyLength)
    {
        if (bodyLength > (uint)_maxBodyLength) return false;
        int framing, key;
        switch (h[0])
        {
            case Magic.Response:
                framing = 0;
                key = BinaryPrimitives.ReadUInt16BigEndian(h.Slice(2));
                break;
            case Magic.AltResponse:
                framing = h[2];
                key = h[3];
                break;
            default:
                return false;
        }
        return framing + h[4] + key <= bodyLength;
    }
}
