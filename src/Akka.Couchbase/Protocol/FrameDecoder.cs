using System.Buffers;
using System.Buffers.Binary;

namespace Akka.Couchbase.Protocol;

/// <summary>
/// Incremental MCBP decoder: bytes go in as they arrive from the socket (a frame may be split across reads,
/// and one read may hold many frames); whole frames come out. Magic and lengths are validated before any body
/// is allocated: a body longer than the configured maximum is a <see cref="ProtocolException"/>, never an
/// allocation of that size. The bytes come from the network: whatever they hold, the only exception they can cause
/// is a <see cref="ProtocolException"/>, and a frame that decodes has framing extras, extras and key within its
/// body. After an exception the decoder is unusable (every later call throws one too); close the connection.
/// <para>
/// With a pool, the body of a successful Get-family response (Get, GetAndTouch, GetLocked, GetReplica) of at least
/// the pool's minimum size that must be assembled from several reads is rented from the pool instead of allocated:
/// its <see cref="RawFrame.RentedFrom"/> names the pool, and whoever ends up holding it may give it back, once. A
/// rented body that is dropped instead (a connection lost mid-frame, a reply nobody waits for) is simply collected.
/// </para>
/// </summary>
internal sealed class FrameDecoder
{
    private readonly int _maxBodyLength;
    private readonly ArrayPool<byte>? _pool;
    private readonly int _minPooledBody;
    private readonly byte[] _header = new byte[Frame.HeaderSize];
    private readonly List<RawFrame> _scratch = new();
    private int _headerFill;
    private byte[]? _body;
    private int _bodyLength;
    private bool _bodyRented;
    private int _bodyFill;
    private bool _faulted;

    /// <summary>Creates a decoder that refuses bodies longer than <paramref name="maxBodyLength"/> bytes.</summary>
    public FrameDecoder(int maxBodyLength) : this(maxBodyLength, null, 0)
    {
    }

    /// <summary>
    /// Creates a decoder that refuses bodies longer than <paramref name="maxBodyLength"/> bytes and, with a
    /// <paramref name="pool"/>, rents the assembled bodies of successful Get-family responses of at least
    /// <paramref name="minPooledBody"/> bytes from it.
    /// </summary>
    public FrameDecoder(int maxBodyLength, ArrayPool<byte>? pool, int minPooledBody)
    {
        if (maxBodyLength <= 0) throw new ArgumentOutOfRangeException(nameof(maxBodyLength), "must be positive");
        if (pool is not null && minPooledBody <= 0)
            throw new ArgumentOutOfRangeException(nameof(minPooledBody), "must be positive");
        _maxBodyLength = maxBodyLength;
        _pool = pool;
        _minPooledBody = minPooledBody;
    }

    /// <summary>True while part of a frame has been read but not all of it.</summary>
    public bool HasPartialFrame => _headerFill > 0;

    /// <summary>Feeds bytes; every frame they complete is added to <paramref name="output"/>.</summary>
    public void Feed(ReadOnlySpan<byte> data, List<Frame> output)
    {
        _scratch.Clear();
        try
        {
            FeedCopying(data, _scratch);
        }
        finally
        {
            foreach (var frame in _scratch) output.Add(frame.ToFrame());
            _scratch.Clear();
        }
    }

    /// <summary>
    /// Feeds the bytes of <paramref name="buffer"/> from <paramref name="offset"/>; a frame that lies wholly inside
    /// them is not copied: its body is a range of the buffer, which the caller must never modify (such as the data
    /// of one socket read). A frame split across calls is copied into its own array, once; the frames after it in
    /// the same buffer are again ranges of it.
    /// </summary>
    internal void FeedShared(byte[] buffer, int offset, int count, List<RawFrame> output)
    {
        if (_faulted) throw new ProtocolException("decoder already failed; the connection must be closed");
        var end = offset + count;
        while (_headerFill > 0 && offset < end)
        {
            // The rest of a frame begun in an earlier call: only the bytes it still lacks are copied (its header's,
            // then its body's), and decoding in place resumes right after it.
            var take = Math.Min(PendingBytes, end - offset);
            FeedCopying(new ReadOnlySpan<byte>(buffer, offset, take), output);
            offset += take;
        }
        while (_headerFill == 0 && end - offset >= Frame.HeaderSize)
        {
            var h = new ReadOnlySpan<byte>(buffer, offset, Frame.HeaderSize);
            var bodyLength = ValidateHeader(h);
            if (end - offset - Frame.HeaderSize < bodyLength) break;
            output.Add(new RawFrame(h, buffer, offset + Frame.HeaderSize, bodyLength));
            offset += Frame.HeaderSize + bodyLength;
        }
        if (offset < end) FeedCopying(new ReadOnlySpan<byte>(buffer, offset, end - offset), output);
    }

    /// <summary>While a frame is partly read: the bytes that would complete its header, or else its body.</summary>
    private int PendingBytes => _headerFill < Frame.HeaderSize
        ? Frame.HeaderSize - _headerFill
        : _bodyLength - _bodyFill;

    /// <summary>
    /// Feeds bytes that may be reused by the caller: every frame's body is copied into its own array (rented, for a
    /// body the pool takes; see the class).
    /// </summary>
    internal void FeedCopying(ReadOnlySpan<byte> data, List<RawFrame> output)
    {
        if (_faulted) throw new ProtocolException("decoder already failed; the connection must be closed");
        while (!data.IsEmpty)
        {
            if (_headerFill < Frame.HeaderSize)
            {
                var n = Math.Min(Frame.HeaderSize - _headerFill, data.Length);
                data.Slice(0, n).CopyTo(_header.AsSpan(_headerFill));
                _headerFill += n;
                data = data.Slice(n);
                if (_headerFill < Frame.HeaderSize) return;
                var bodyLength = ValidateHeader(_header);
                _bodyRented = bodyLength > 0 && Rents(_header, bodyLength);
                _body = bodyLength == 0 ? Array.Empty<byte>()
                    : _bodyRented ? _pool!.Rent(bodyLength)
                    : new byte[bodyLength];
                _bodyLength = bodyLength;
                _bodyFill = 0;
            }

            var body = _body!;
            var take = Math.Min(_bodyLength - _bodyFill, data.Length);
            if (take > 0)
            {
                data.Slice(0, take).CopyTo(body.AsSpan(_bodyFill));
                _bodyFill += take;
                data = data.Slice(take);
            }
            if (_bodyFill == _bodyLength)
            {
                output.Add(new RawFrame(_header, body, 0, _bodyLength, _bodyRented ? _pool : null));
                _headerFill = 0;
                _body = null;
                _bodyRented = false;
            }
        }
    }

    /// <summary>Whether the body this (valid) header announces is rented: a large successful Get-family response.</summary>
    private bool Rents(ReadOnlySpan<byte> h, int bodyLength) =>
        _pool is not null && bodyLength >= _minPooledBody && IsSuccessfulGetReply(h);

    /// <summary>Whether <paramref name="h"/> is the header of a successful Get, GetAndTouch, GetLocked or GetReplica response.</summary>
    internal static bool IsSuccessfulGetReply(ReadOnlySpan<byte> h)
    {
        if (h[0] is not (Magic.Response or Magic.AltResponse)) return false;
        if (BinaryPrimitives.ReadUInt16BigEndian(h.Slice(6)) != (ushort)KvStatus.Success) return false;
        return (Opcode)h[1] is Opcode.Get or Opcode.GetAndTouch or Opcode.GetLocked or Opcode.GetReplica;
    }

    /// <summary>
    /// Feeds one whole frame that a read loop read into an array of its own (<paramref name="buffer"/>[0..
    /// <paramref name="length"/>), never written again): it is decoded in place, and with
    /// <paramref name="rentedFrom"/> its array is marked as rented from that pool (the decoder must stand between
    /// frames, and the bytes must be exactly one frame; otherwise they are decoded as any shared read, not rented).
    /// </summary>
    internal void FeedWholeFrame(byte[] buffer, int length, ArrayPool<byte>? rentedFrom, List<RawFrame> output)
    {
        if (_faulted) throw new ProtocolException("decoder already failed; the connection must be closed");
        if (_headerFill != 0 || length < Frame.HeaderSize)
        {
            FeedShared(buffer, 0, length, output);
            return;
        }
        var h = new ReadOnlySpan<byte>(buffer, 0, Frame.HeaderSize);
        var bodyLength = ValidateHeader(h);
        if (Frame.HeaderSize + bodyLength != length)
        {
            FeedShared(buffer, 0, length, output);
            return;
        }
        output.Add(new RawFrame(h, buffer, Frame.HeaderSize, bodyLength, rentedFrom));
    }

    private int ValidateHeader(ReadOnlySpan<byte> h)
    {
        var magic = h[0];
        if (!Magic.IsKnown(magic)) Fail($"unknown magic byte 0x{magic:x2}");
        var bodyLength = BinaryPrimitives.ReadUInt32BigEndian(h.Slice(8));
        if (bodyLength > (uint)_maxBodyLength)
            Fail($"frame body of {bodyLength} bytes exceeds the maximum of {_maxBodyLength} bytes");
        int framing, key;
        if (Magic.IsFlexible(magic)) { framing = h[2]; key = h[3]; }
        else { framing = 0; key = BinaryPrimitives.ReadUInt16BigEndian(h.Slice(2)); }
        var extras = h[4];
        if (framing + extras + key > bodyLength)
            Fail($"framing extras ({framing}) + extras ({extras}) + key ({key}) exceed the body length ({bodyLength})");
        return (int)bodyLength;
    }

    private void Fail(string message)
    {
        _faulted = true;
        throw new ProtocolException(message);
    }
}
