namespace Akka.Couchbase.Pipeline;

/// <summary>
/// A connection's outgoing bytes: frames are encoded into one batch while the previous batch is being written, and
/// the batch goes out as one write once that write is taken (<see cref="TryTake"/>, <see cref="Written"/>). Batches
/// are not copied: the array itself is handed to the transport, and reused only after its write was taken (two
/// arrays take turns). An array whose write was never taken (the connection was lost) is abandoned, never reused:
/// the socket may still be reading it. A request counts as written from the moment its batch is taken.
/// </summary>
internal sealed class Outbox
{
    private readonly int _maxBatchBytes;
    private readonly int _initialSize;
    private readonly List<KvRequest> _batchRequests = new();
    private byte[] _buffer;
    private int _length;
    private byte[]? _inWrite;
    private byte[]? _spare;

    /// <param name="maxBatchBytes">The most bytes one write carries (<c>max-write-batch-bytes</c>); a larger single frame goes alone.</param>
    public Outbox(int maxBatchBytes)
    {
        _maxBatchBytes = maxBatchBytes;
        _initialSize = Math.Min(64 * 1024, maxBatchBytes);
        _buffer = new byte[_initialSize];
    }

    /// <summary>Bytes waiting in the batch.</summary>
    public int Length => _length;

    /// <summary>True between <see cref="TryTake"/> and <see cref="Written"/>.</summary>
    public bool WritePending { get; private set; }

    /// <summary>Whether a frame of <paramref name="size"/> bytes joins the batch (an empty batch takes any frame).</summary>
    public bool Fits(int size) => _length == 0 || _length + size <= _maxBatchBytes;

    /// <summary>Encodes <paramref name="request"/> into the batch; it is <see cref="RequestState.Buffered"/> until the batch is taken.</summary>
    public void Add(KvRequest request, bool jsonNegotiated, bool collectionsNegotiated = false)
    {
        EnsureCapacity(request.EncodedSize + (collectionsNegotiated ? RequestEncoder.MaxCollectionPrefix : 0));
        _length += RequestEncoder.Write(_buffer.AsSpan(_length), request, jsonNegotiated, collectionsNegotiated);
        request.State = RequestState.Buffered;
        _batchRequests.Add(request);
    }

    /// <summary>Adds an already encoded frame (the handshake's).</summary>
    public void AddRaw(byte[] frame)
    {
        EnsureCapacity(frame.Length);
        frame.CopyTo(_buffer, _length);
        _length += frame.Length;
    }

    /// <summary>
    /// The batch to write, if there is one and no write is pending: its requests become
    /// <see cref="RequestState.Written"/>, and the batch fills another array until <see cref="Written"/>.
    /// </summary>
    public bool TryTake(out byte[] buffer, out int length)
    {
        if (_length == 0 || WritePending)
        {
            buffer = Array.Empty<byte>();
            length = 0;
            return false;
        }
        buffer = _buffer;
        length = _length;
        WritePending = true;
        _inWrite = _buffer;
        // Keep the buffers from staying huge after one large value (an oversized array is not kept as the spare).
        _buffer = _spare ?? new byte[_initialSize];
        _spare = null;
        _length = 0;
        foreach (var request in _batchRequests)
        {
            request.State = RequestState.Written;
            request.WasWritten = true;
        }
        _batchRequests.Clear();
        return true;
    }

    /// <summary>The pending write was taken by the socket: its array may be reused.</summary>
    public void Written()
    {
        WritePending = false;
        if (_inWrite is not null && _inWrite.Length <= 4 * _maxBatchBytes) _spare = _inWrite;
        _inWrite = null;
    }

    /// <summary>The connection was lost: the batch is dropped (its requests are in the in-flight table) and the array in write abandoned.</summary>
    public void Reset()
    {
        WritePending = false;
        _length = 0;
        _inWrite = null; // the socket may still be reading it
        _batchRequests.Clear();
    }

    private void EnsureCapacity(int extra)
    {
        var needed = _length + extra;
        if (needed <= _buffer.Length) return;
        var grown = new byte[Math.Max(needed, _buffer.Length * 2)];
        _buffer.AsSpan(0, _length).CopyTo(grown);
        _buffer = grown;
    }
}
