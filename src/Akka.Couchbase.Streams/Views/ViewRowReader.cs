using System.Text.Json;

namespace Akka.Couchbase.Streams.Views;

/// <summary>
/// Reads the rows of a view response one at a time, straight from the HTTP stream: bytes are read from the network
/// only when the consumer asks for a row that is not in the buffer yet, so a slow consumer slows the server (TCP
/// backpressure). Parsing (<see cref="ViewResponseParser"/>) is synchronous over the buffer, so a row already
/// received costs no await. Each read from the network waits at most the idle timeout; a response abandoned before
/// its end closes its connection. Tolerates members it does not know (CouchDB's <c>offset</c>, <c>update_seq</c>, a
/// row's <c>doc</c>).
/// </summary>
internal sealed class ViewRowReader : IDisposable
{
    /// <summary>What may follow the JSON's end before the body ends (the chunked encoding's last chunk, whitespace).</summary>
    private const int TrailerLimit = 4096;

    /// <summary>The buffer's first size; it doubles when one row (or response member) does not fit.</summary>
    private const int InitialBuffer = 32 * 1024;

    /// <summary>The largest row or response member read: beyond it the response is refused rather than held.</summary>
    internal const int MaxUnit = 64 * 1024 * 1024;

    private readonly HttpResponseMessage _response;
    private readonly ViewBodyStream _body;
    private readonly string _what;
    private readonly Uri _uri;
    private readonly ViewResponseParser _parser = new();
    private byte[] _buffer = new byte[InitialBuffer];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _ended;
    private bool _started;
    private bool _bomChecked;

    private ViewRowReader(HttpResponseMessage response, ViewBodyStream body, Uri uri, string what)
    {
        _response = response;
        _uri = uri;
        _body = body;
        _what = what;
    }

    public long? TotalRows => _parser.TotalRows;

    /// <summary>Rows read so far.</summary>
    public long RowsRead => _parser.Rows;

    public ViewMetadata Metadata => new(_parser.TotalRows, _parser.Rows, _parser.Errors.ToList(), _parser.DebugInfo);

    /// <summary>
    /// Reads <paramref name="response"/>'s body, each network read waiting at most <paramref name="idleTimeout"/>;
    /// cancelling <paramref name="stop"/> abandons the response (its connection is closed).
    /// </summary>
    public static async Task<ViewRowReader> OpenAsync(HttpResponseMessage response, ViewQuery query, Uri uri,
        TimeSpan idleTimeout, CancellationToken stop, CancellationToken headersDeadline)
    {
        var stream = await response.Content.ReadAsStreamAsync(headersDeadline).ConfigureAwait(false);
        return new ViewRowReader(response, new ViewBodyStream(stream, idleTimeout, stop), uri,
            $"view {query.DesignDocumentPath}/{query.View} on {uri.GetLeftPart(UriPartial.Path)}");
    }

    /// <summary>
    /// The next row, or null when the response is complete. Completes synchronously, allocating nothing beyond the
    /// row, when the row is already in the buffer; await each result once, before the next call.
    /// </summary>
    /// <remarks>
    /// The bytes come from the network: whatever they hold, a response that is not a view result fails with a
    /// <see cref="ViewQueryException"/> and nothing else (bar <see cref="OperationCanceledException"/> when
    /// <paramref name="ct"/> or the reader's stop token is cancelled); that includes a server that sends nothing
    /// for the idle timeout. A row is read whole into memory (at most <see cref="MaxUnit"/> bytes); nothing else is
    /// held beyond the buffer, the <c>errors</c> and the <c>debug_info</c>.
    /// </remarks>
    /// <exception cref="ViewQueryException">The response is broken: not JSON, not a view result, stalled, or the connection failed.</exception>
    public ValueTask<ViewRow?> NextAsync(CancellationToken ct)
    {
        if (_ended) return new ValueTask<ViewRow?>((ViewRow?)null);
        try
        {
            if (_started && TryParse(out var row, out var done))
                return done ? EndAsync() : new ValueTask<ViewRow?>(row);
        }
        catch (ViewQueryException e)
        {
            return ValueTask.FromException<ViewRow?>(e);
        }
        return ReadThenParseAsync(ct);
    }

    private async ValueTask<ViewRow?> ReadThenParseAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await FillAsync(ct).ConfigureAwait(false);
                if (TryParse(out var row, out var done))
                {
                    if (!done) return row;
                    await EndAsync().ConfigureAwait(false);
                    return null;
                }
                if (_eof) throw Broken(_parser.Rows == 0 && _end == _start && !_started
                    ? "the response is empty"
                    : "the response ended before it was complete");
            }
        }
        catch (OperationCanceledException e) when (_body.IdleTimedOut)
        {
            throw Broken($"no data for {_body.IdleTimeout.TotalMilliseconds}ms (akka.couchbase.views.idle-timeout)", e);
        }
        catch (IOException e)
        {
            throw Broken($"the connection broke ({e.Message})", e);
        }
        catch (HttpRequestException e)
        {
            throw Broken($"the connection broke ({e.Message})", e);
        }
    }

    /// <summary>The next row from the buffer (<paramref name="done"/>: the response's end); false when more bytes are needed.</summary>
    private bool TryParse(out ViewRow? row, out bool done)
    {
        done = false;
        row = null;
        if (!_bomChecked && !SkipByteOrderMark()) return false;
        ViewResponseParser.Step step;
        try
        {
            step = _parser.Next(_buffer.AsSpan(_start, _end - _start), out row, out var consumed);
            _start += consumed;
        }
        catch (JsonException e)
        {
            throw Broken($"the response is not valid JSON {_parser.Where} ({e.Message})", e);
        }
        catch (InvalidOperationException e) // a string that is not UTF-8
        {
            throw Broken($"the response is not valid JSON {_parser.Where} ({e.Message})", e);
        }
        catch (ViewResponseFormatException e)
        {
            throw Broken(e.Message, e);
        }
        catch (Newtonsoft.Json.JsonException e) // errors and debug_info are loaded as tokens
        {
            throw Broken($"the response is not valid JSON {_parser.Where} ({e.Message})", e);
        }
        switch (step)
        {
            case ViewResponseParser.Step.Row:
                return true;
            case ViewResponseParser.Step.End:
                _ended = true;
                done = true;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Reads more of the body behind what the parser has not consumed, growing the buffer when it is full of one unit.</summary>
    private async ValueTask FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxUnit)
                throw Broken($"a row or response member is larger than {MaxUnit} bytes");
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxUnit));
        }
        ct.ThrowIfCancellationRequested();
        var n = await _body.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
        if (n == 0)
        {
            _eof = true;
            return;
        }
        _started = true;
        _end += n;
    }

    /// <summary>
    /// A UTF-8 byte order mark before the JSON is allowed, and skipped, as a text reader would; false while the
    /// bytes received could still be the start of one.
    /// </summary>
    private bool SkipByteOrderMark()
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        var head = _buffer.AsSpan(_start, Math.Min(_end - _start, 3));
        if (head.Length < 3 && !_eof && bom.StartsWith(head)) return false;
        if (head.SequenceEqual(bom)) _start += 3;
        _bomChecked = true;
        return true;
    }

    /// <summary>
    /// Reads the body past the JSON's end, so the connection is reused. What goes wrong there is no longer the
    /// query's concern (every row and the metadata were read): the connection is then closed by disposal.
    /// </summary>
    private async ValueTask<ViewRow?> EndAsync()
    {
        if (_eof) return null;
        try
        {
            await _body.ReadToEndAsync(TrailerLimit).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
        {
            // The response is complete; only the connection's reuse is lost.
        }
        return null;
    }

    private ViewQueryException Broken(string what, Exception? inner = null) =>
        new($"{_what}: {what} after {_parser.Rows} rows", (int)_response.StatusCode, uri: _uri, inner: inner);

    /// <summary>Releases the response; one abandoned before its end closes its connection (nothing is drained).</summary>
    public void Dispose()
    {
        _body.Dispose();
        _response.Dispose();
    }
}
