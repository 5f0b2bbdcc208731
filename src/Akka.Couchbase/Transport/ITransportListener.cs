namespace Akka.Couchbase.Transport;

/// <summary>What an <see cref="INodeTransport"/> tells its owner, on the owner's thread.</summary>
internal interface ITransportListener
{
    /// <summary>The connection is open: writes may start.</summary>
    void OnConnected();

    /// <summary>The connect attempt failed; <paramref name="message"/> says why, naming the node.</summary>
    void OnConnectFailed(string message);

    /// <summary>
    /// Bytes arrived. With <paramref name="shared"/> the array is never written again, so frames may be read from
    /// it in place and results may keep ranges of it; otherwise it is reused after this call and must be copied.
    /// </summary>
    void OnReceived(byte[] array, int offset, int count, bool shared);

    /// <summary>
    /// One whole frame arrived, read into an array of its own (<paramref name="array"/>[0..<paramref name="length"/>),
    /// never written again), the frames before it having been reported already; with <paramref name="rentedFrom"/>
    /// the array was rented from that pool, and the result that keeps the frame's value owns it.
    /// </summary>
    void OnReceivedFrame(byte[] array, int length, System.Buffers.ArrayPool<byte>? rentedFrom);

    /// <summary>The socket has taken every byte of the last <see cref="INodeTransport.Write"/>.</summary>
    void OnWritten();

    /// <summary>The open connection is gone (closed, reset, failed write); <paramref name="message"/> says why.</summary>
    void OnClosed(string message);
}
