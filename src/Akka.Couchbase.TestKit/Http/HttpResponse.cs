using System.Buffers;
using System.Globalization;
using System.Text;

namespace Akka.Couchbase.TestKit.Http;

/// <summary>
/// The response side of one exchange. Every write awaits the socket, so a client that stops reading
/// stalls the writer once the kernel buffers are full (the backpressure contract).
/// </summary>
/// <remarks>
/// Three body modes: chunked (<c>chunked: true</c>; each <see cref="WriteAsync(ReadOnlyMemory{byte})"/> is one chunk), fixed length
/// (not chunked and a <c>Content-Length</c> given in the extra headers; bytes go straight to the socket) and
/// buffered (not chunked, no length: the body is collected and sent with a <c>Content-Length</c> by
/// <see cref="EndAsync"/>; a <see cref="FlushAsync"/> in this mode commits the head with
/// <c>Connection: close</c> and the rest of the body is delimited by closing the connection).
/// </remarks>
public sealed class HttpResponse
{
    private enum BodyMode { None, Chunked, Fixed, Buffered, CloseDelimited }

    private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();

    private readonly Stream _stream;
    private readonly Action _abort;
    private readonly bool _headOnly;
    private readonly CancellationToken _ct;
    private readonly BlockedWrites? _blockedWrites;
    private long _bytesTaken;
    private BodyMode _mode;
    private int _status;
    private string _contentType = "";
    private List<KeyValuePair<string, string>>? _extra;
    private MemoryStream? _buffer;

    internal HttpResponse(Stream stream, bool keepAlive, bool headOnly, Action abort, CancellationToken ct,
        BlockedWrites? blockedWrites = null)
    {
        _stream = stream;
        _blockedWrites = blockedWrites;
        KeepAlive = keepAlive;
        _headOnly = headOnly;
        _abort = abort;
        _ct = ct;
    }

    /// <summary>True once the status line and headers are committed (sent or, in buffered mode, fixed).</summary>
    public bool HeadersSent => _mode != BodyMode.None;

    /// <summary>True once the response is complete.</summary>
    public bool Ended { get; private set; }

    /// <summary>True when the connection may carry another request after this response.</summary>
    internal bool KeepAlive { get; private set; }

    /// <summary>True when the handler aborted the connection.</summary>
    internal bool Aborted { get; private set; }

    /// <summary>The status code committed by <see cref="WriteHeadAsync"/> (0 before).</summary>
    public int StatusCode => _status;

    /// <summary>
    /// Commits the status and headers. Chunked and fixed-length heads are sent at once; a buffered head is
    /// sent with the body by <see cref="EndAsync"/>.
    /// </summary>
    public async Task WriteHeadAsync(int status, string contentType, bool chunked,
        IEnumerable<KeyValuePair<string, string>>? extraHeaders = null)
    {
        if (HeadersSent) throw new InvalidOperationException("The response head was already written.");
        _status = status;
        _contentType = contentType;
        _extra = extraHeaders?.ToList();
        var hasLength = _extra?.Any(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) == true;
        if (chunked && !ChunkedAllowed)
        {
            // an HTTP/1.0 client cannot decode chunks: stream the body and close the connection after it
            _mode = BodyMode.CloseDelimited;
            KeepAlive = false;
            await SendAsync(BuildHead(chunked: false, contentLength: null)).ConfigureAwait(false);
        }
        else if (chunked)
        {
            _mode = BodyMode.Chunked;
            await SendAsync(BuildHead(chunked: true, contentLength: null)).ConfigureAwait(false);
        }
        else if (hasLength)
        {
            _mode = BodyMode.Fixed;
            await SendAsync(BuildHead(chunked: false, contentLength: null)).ConfigureAwait(false);
        }
        else
        {
            _mode = BodyMode.Buffered;
            _buffer = new MemoryStream();
        }
    }

    /// <summary>
    /// Writes body bytes: one chunk in chunked mode (an empty write is skipped), raw bytes otherwise.
    /// Completes when the socket accepted the bytes.
    /// </summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> data)
    {
        if (!HeadersSent) throw new InvalidOperationException("WriteHeadAsync must be called first.");
        if (Ended) throw new InvalidOperationException("The response has ended.");
        if (data.Length == 0) return;
        switch (_mode)
        {
            case BodyMode.Buffered:
                _buffer!.Write(data.Span);
                return;
            case BodyMode.Chunked:
                if (_headOnly) return;
                var prefix = Encoding.ASCII.GetBytes(data.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n");
                var total = prefix.Length + data.Length + 2;
                var rented = ArrayPool<byte>.Shared.Rent(total);
                try
                {
                    prefix.CopyTo(rented, 0);
                    data.Span.CopyTo(rented.AsSpan(prefix.Length));
                    rented[total - 2] = (byte)'\r';
                    rented[total - 1] = (byte)'\n';
                    await SendAsync(rented.AsMemory(0, total)).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
                return;
            default:
                if (_headOnly) return;
                await SendAsync(data).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>Writes a UTF-8 string as body bytes (see <see cref="WriteAsync(ReadOnlyMemory{byte})"/>).</summary>
    public Task WriteAsync(string text) => WriteAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Writes a complete response: status, <c>application/json</c>, a Content-Length and the body.</summary>
    public async Task WriteJsonAsync(int status, string json)
    {
        if (HeadersSent) throw new InvalidOperationException("The response head was already written.");
        _status = status;
        _contentType = "application/json";
        _mode = BodyMode.Fixed;
        var body = Encoding.UTF8.GetBytes(json);
        var head = BuildHead(chunked: false, contentLength: body.Length);
        var all = new byte[head.Length + (_headOnly ? 0 : body.Length)];
        head.CopyTo(all, 0);
        if (!_headOnly) body.CopyTo(all, head.Length);
        await SendAsync(all).ConfigureAwait(false);
        Ended = true;
    }

    /// <summary>
    /// Pushes everything written so far to the client. In buffered mode this commits the head without a
    /// length (the connection closes after the body).
    /// </summary>
    public async Task FlushAsync()
    {
        if (_mode == BodyMode.Buffered)
        {
            _mode = BodyMode.CloseDelimited;
            KeepAlive = false;
            await SendAsync(BuildHead(chunked: false, contentLength: null)).ConfigureAwait(false);
            var pending = _buffer!.ToArray();
            _buffer = null;
            if (pending.Length > 0 && !_headOnly) await SendAsync(pending).ConfigureAwait(false);
        }
        await _stream.FlushAsync(_ct).ConfigureAwait(false);
    }

    /// <summary>Completes the response (the last chunk, or the buffered head and body). Idempotent.</summary>
    public async Task EndAsync()
    {
        if (Ended) return;
        switch (_mode)
        {
            case BodyMode.None:
                await WriteJsonAsync(204, "").ConfigureAwait(false);
                return;
            case BodyMode.Chunked:
                if (!_headOnly) await SendAsync(LastChunk).ConfigureAwait(false);
                break;
            case BodyMode.Buffered:
                var body = _buffer!.ToArray();
                _buffer = null;
                var head = BuildHead(chunked: false, contentLength: body.Length);
                var all = new byte[head.Length + (_headOnly ? 0 : body.Length)];
                head.CopyTo(all, 0);
                if (!_headOnly) body.CopyTo(all, head.Length);
                await SendAsync(all).ConfigureAwait(false);
                break;
        }
        Ended = true;
    }

    /// <summary>Cuts the connection at once (a reset, no further bytes), e.g. to inject a mid-stream failure.</summary>
    public void Abort()
    {
        Aborted = true;
        KeepAlive = false;
        Ended = true;
        _abort();
    }

    /// <summary>False for HTTP/1.0 requests: a chunked head then falls back to a close-delimited body.</summary>
    internal bool ChunkedAllowed { get; init; } = true;

    /// <summary>True once any byte of this response reached the socket.</summary>
    internal bool BytesSent { get; private set; }

    /// <summary>Writes to the socket; a write that does not complete at once (a full send buffer) is reported as blocked.</summary>
    private ValueTask SendAsync(ReadOnlyMemory<byte> bytes)
    {
        BytesSent = true;
        var write = _stream.WriteAsync(bytes, _ct);
        var before = _bytesTaken;
        _bytesTaken += bytes.Length;
        if (write.IsCompleted || _blockedWrites is null) return write;
        return new ValueTask(_blockedWrites.Observe(write.AsTask(), before));
    }

    private byte[] BuildHead(bool chunked, int? contentLength)
    {
        var sb = new StringBuilder(256);
        sb.Append("HTTP/1.1 ").Append(_status.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(ReasonPhrase(_status)).Append("\r\n");
        if (_contentType.Length > 0) sb.Append("Content-Type: ").Append(_contentType).Append("\r\n");
        if (chunked) sb.Append("Transfer-Encoding: chunked\r\n");
        if (contentLength is { } len) sb.Append("Content-Length: ").Append(len.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        if (_mode == BodyMode.CloseDelimited) KeepAlive = false;
        if (_extra != null)
        {
            foreach (var (name, value) in _extra)
            {
                if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    if (value.Equals("close", StringComparison.OrdinalIgnoreCase)) KeepAlive = false;
                    continue;
                }
                if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
                if (contentLength != null && name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
                sb.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }
        sb.Append("Server: Akka.Couchbase.TestKit\r\n");
        sb.Append(KeepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
        sb.Append("\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    internal static string ReasonPhrase(int status) => status switch
    {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    };
}
