using System.Net;

namespace Akka.Couchbase.Observability;

/// <summary>
/// An HTTP response body that says when it ends: read to its end (true), or disposed before (false); once.
/// Everything else is the inner content's, headers included.
/// </summary>
internal sealed class ObservedContent : HttpContent
{
    private readonly HttpContent _inner;
    private Action<bool>? _ended;

    public ObservedContent(HttpContent inner, Action<bool> ended)
    {
        _inner = inner;
        _ended = ended;
        foreach (var header in inner.Headers) Headers.TryAddWithoutValidation(header.Key, header.Value);
    }

    private void End(bool completed) => Interlocked.Exchange(ref _ended, null)?.Invoke(completed);

    protected override async Task<Stream> CreateContentReadStreamAsync() =>
        new ObservedStream(await _inner.ReadAsStreamAsync().ConfigureAwait(false), this);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new ObservedStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), this);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await _inner.CopyToAsync(stream).ConfigureAwait(false);
        End(true);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            End(false);
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private sealed class ObservedStream : Stream
    {
        private readonly Stream _inner;
        private readonly ObservedContent _owner;

        public ObservedStream(Stream inner, ObservedContent owner)
        {
            _inner = inner;
            _owner = owner;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Seen(_inner.Read(buffer, offset, count), count);

        public override int Read(Span<byte> buffer) => Seen(_inner.Read(buffer), buffer.Length);

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Seen(await _inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false), count);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Seen(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false), buffer.Length);

        private int Seen(int read, int asked)
        {
            if (read == 0 && asked > 0) _owner.End(true);
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _owner.End(false);
                _inner.Dispose();
            }
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            _owner.End(false);
            await _inner.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }
}
