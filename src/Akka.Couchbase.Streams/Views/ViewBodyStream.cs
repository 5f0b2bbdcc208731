namespace Akka.Couchbase.Streams.Views;

/// <summary>
/// The body of a view response as the JSON reader sees it. Every read from the network runs under this stream's own
/// token, whatever token the caller passed (the JSON reader's text layer passes none once a read started): the token
/// is cancelled when the idle timeout elapses during one read, or when the stop token is cancelled. A
/// cancelled read of the HTTP handler closes the connection, so a stalled or abandoned response ends at once on the
/// server too, instead of being drained for reuse.
/// </summary>
internal sealed class ViewBodyStream : Stream
{
    private readonly Stream _inner;
    private readonly TimeSpan _idleTimeout;
    private readonly CancellationToken _stop;
    private readonly CancellationTokenSource _read = new();
    private readonly CancellationTokenRegistration _onStop;
    private int _disposed;

    /// <param name="inner">The HTTP response's content stream.</param>
    /// <param name="idleTimeout">The longest one read may wait for bytes.</param>
    /// <param name="stop">Cancelled when the response is abandoned (the stream was cancelled or stopped).</param>
    public ViewBodyStream(Stream inner, TimeSpan idleTimeout, CancellationToken stop)
    {
        _inner = inner;
        _idleTimeout = idleTimeout;
        _stop = stop;
        _onStop = stop.Register(static s => ((ViewBodyStream)s!).CancelRead(), this);
    }

    /// <summary>True when a read gave up because no byte came within the idle timeout.</summary>
    public bool IdleTimedOut => _read.IsCancellationRequested && !_stop.IsCancellationRequested;

    /// <summary>The idle timeout.</summary>
    public TimeSpan IdleTimeout => _idleTimeout;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _read.CancelAfter(_idleTimeout);
        try
        {
            return await _inner.ReadAsync(buffer, _read.Token).ConfigureAwait(false);
        }
        finally
        {
            if (!_read.IsCancellationRequested) _read.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Not used by the reader (it reads asynchronously); reads without the idle timeout.</summary>
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    /// <summary>
    /// Reads what is left of the body after the JSON's end (the chunked encoding's last chunk), at most
    /// <paramref name="limit"/> bytes, so the connection goes back to the pool; a body that goes on is left to
    /// <see cref="Dispose(bool)"/>, which closes the connection.
    /// </summary>
    public async Task<bool> ReadToEndAsync(int limit)
    {
        var buffer = new byte[256];
        for (var total = 0; total <= limit;)
        {
            var n = await ReadAsync(buffer).ConfigureAwait(false);
            if (n == 0) return true;
            total += n;
        }
        return false;
    }

    private void CancelRead()
    {
        if (Volatile.Read(ref _disposed) == 0) _read.Cancel();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _onStop.Dispose();
            _inner.Dispose();
            _read.Dispose();
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
