namespace Akka.Couchbase.Transport;

/// <summary>
/// A pass-through stream over a socket's stream that keeps the first bytes the server sent, so that a failed TLS
/// handshake can tell a server that does not speak TLS (its first byte is no TLS record type) from one that does.
/// </summary>
internal sealed class FirstBytesStream : Stream
{
    private const int Kept = 16;
    private readonly Stream _inner;
    private readonly byte[] _first = new byte[Kept];
    private int _firstCount;

    public FirstBytesStream(Stream inner) => _inner = inner;

    /// <summary>The first bytes read (up to 16), as read so far.</summary>
    public ReadOnlySpan<byte> First => _first.AsSpan(0, Volatile.Read(ref _firstCount));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Keep(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = _inner.Read(buffer, offset, count);
        Keep(buffer.AsSpan(offset, read));
        return read;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }

    private void Keep(ReadOnlySpan<byte> read)
    {
        var count = _firstCount;
        if (count >= Kept || read.IsEmpty) return;
        var n = Math.Min(Kept - count, read.Length);
        read[..n].CopyTo(_first.AsSpan(count));
        Volatile.Write(ref _firstCount, count + n);
    }
}
