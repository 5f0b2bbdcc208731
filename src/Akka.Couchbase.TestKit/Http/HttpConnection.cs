using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Akka.Couchbase.TestKit.Tls;
using Newtonsoft.Json;

namespace Akka.Couchbase.TestKit.Http;

/// <summary>
/// One accepted socket: reads requests one after another and hands each to the handler. On a TLS port the
/// handshake comes first and every byte goes through the <see cref="SslStream"/>.
/// </summary>
internal sealed class HttpConnection
{
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();

    private readonly HttpServer _server;
    private readonly Socket _socket;
    private readonly TlsAcceptor? _tls;
    private Stream _stream;
    private string? _certificateUser;
    private readonly Func<HttpRequest, HttpResponse, CancellationToken, Task> _handler;
    private readonly HttpServerOptions _options;
    private readonly CancellationTokenSource _cts;
    private byte[] _buf = new byte[8192];
    private int _start;
    private int _end;
    private int _aborted;

    public HttpConnection(HttpServer server, Socket socket,
        Func<HttpRequest, HttpResponse, CancellationToken, Task> handler, HttpServerOptions options, TlsAcceptor? tls,
        CancellationToken serverStopping)
    {
        _server = server;
        _socket = socket;
        _tls = tls;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _handler = handler;
        _options = options;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(serverStopping);
    }

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start(Action onClosed)
    {
        Completion = Task.Run(async () =>
        {
            try
            {
                if (_tls == null || await HandshakeAsync().ConfigureAwait(false)) await RunAsync().ConfigureAwait(false);
                else Abort();
            }
            catch (Exception) when (IsConnectionFailure())
            {
                // the peer went away or the connection was dropped
            }
            catch (IOException)
            {
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                if (Volatile.Read(ref _aborted) == 0) await LingerAsync().ConfigureAwait(false);
                Close();
                onClosed();
            }
        });
    }

    /// <summary>Resets the connection: no more bytes, pending reads and writes fail, the handler's token is cancelled.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0) return;
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception)
        {
            // already closed
        }
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        _socket.Dispose();
    }

    private bool IsConnectionFailure() => Volatile.Read(ref _aborted) != 0;

    /// <summary>The TLS handshake; false when it failed or the client's certificate was refused.</summary>
    private async Task<bool> HandshakeAsync()
    {
        try
        {
            var (stream, user) = await _tls!.AuthenticateAsync(_socket, _cts.Token).ConfigureAwait(false);
            _stream = stream;
            _certificateUser = user;
            return true;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException
                                      or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// A lingering close: stop sending, then discard what the peer still sends (up to 1 MiB, for at most one
    /// second) so that unread request bytes do not turn the close into a reset that destroys the last response.
    /// </summary>
    private async Task LingerAsync()
    {
        try
        {
            if (_stream is SslStream ssl) await ssl.ShutdownAsync().ConfigureAwait(false); // close_notify
            _socket.Shutdown(SocketShutdown.Send);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _cts.Token);
            var scratch = new byte[8192];
            long drained = 0;
            while (drained < 1024 * 1024)
            {
                var n = await _socket.ReceiveAsync(scratch, SocketFlags.None, linked.Token).ConfigureAwait(false);
                if (n == 0) break;
                drained += n;
            }
        }
        catch (Exception)
        {
            // closed, reset or timed out: nothing more to do
        }
    }

    private void Close()
    {
        _stream.Dispose();
        _socket.Dispose();
        _cts.Dispose();
    }

    private async Task RunAsync()
    {
        var ct = _cts.Token;
        while (!ct.IsCancellationRequested)
        {
            var headLength = await ReadHeadAsync(ct).ConfigureAwait(false);
            if (headLength == 0) return; // clean end of stream between requests
            if (headLength < 0)
            {
                await WriteErrorAsync(431, "bad_request", "request headers exceed "
                    + _options.MaxHeaderBytes.ToString(CultureInfo.InvariantCulture) + " bytes", ct).ConfigureAwait(false);
                return;
            }

            var headText = Encoding.Latin1.GetString(_buf, _start, headLength - HeadEnd.Length);
            _start += headLength;
            if (!TryParseHead(headText, out var method, out var target, out var version, out var headers))
            {
                await WriteErrorAsync(400, "bad_request", "malformed request head", ct).ConfigureAwait(false);
                return;
            }

            var connectionHeader = headers.TryGetValue("Connection", out var c) ? c : "";
            var keepAlive = version == "HTTP/1.0"
                ? connectionHeader.Contains("keep-alive", StringComparison.OrdinalIgnoreCase)
                : !connectionHeader.Contains("close", StringComparison.OrdinalIgnoreCase);

            if (headers.TryGetValue("Expect", out var expect)
                && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
            {
                await _stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), ct).ConfigureAwait(false);
            }

            byte[]? body;
            if (headers.TryGetValue("Transfer-Encoding", out var te)
                && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                body = await ReadChunkedBodyAsync(ct).ConfigureAwait(false);
                if (body == null)
                {
                    await WriteErrorAsync(413, "bad_request", "request body too large or malformed", ct).ConfigureAwait(false);
                    return;
                }
            }
            else if (headers.TryGetValue("Content-Length", out var cl))
            {
                if (!long.TryParse(cl.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
                {
                    await WriteErrorAsync(400, "bad_request", "invalid Content-Length", ct).ConfigureAwait(false);
                    return;
                }
                if (length > _options.MaxBodyBytes)
                {
                    await WriteErrorAsync(413, "bad_request", "request body too large", ct).ConfigureAwait(false);
                    return;
                }
                body = await ReadExactAsync((int)length, ct).ConfigureAwait(false);
                if (body == null) return;
            }
            else
            {
                body = Array.Empty<byte>();
            }

            var request = new HttpRequest(method, target, version, headers, body, _socket.RemoteEndPoint, _certificateUser);
            var response = new HttpResponse(_stream, keepAlive, method == "HEAD", Abort, ct, _server.BlockedWrites)
            {
                ChunkedAllowed = version != "HTTP/1.0",
            };
            _server.CountRequest();
            try
            {
                await _handler(request, response, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (!response.Aborted && Volatile.Read(ref _aborted) == 0 && !response.BytesSent)
            {
                var reason = JsonConvert.ToString(ex.Message);
                response = new HttpResponse(_stream, keepAlive, method == "HEAD", Abort, ct, _server.BlockedWrites);
                await response.WriteJsonAsync(500, "{\"error\":\"internal\",\"reason\":" + reason + "}").ConfigureAwait(false);
            }
            catch (Exception)
            {
                Abort();
                return;
            }

            if (response.Aborted || Volatile.Read(ref _aborted) != 0) return;
            if (!response.HeadersSent)
                await response.WriteJsonAsync(404, "{\"error\":\"not_found\",\"reason\":\"not_found\"}").ConfigureAwait(false);
            else if (!response.Ended)
                await response.EndAsync().ConfigureAwait(false);
            await _stream.FlushAsync(ct).ConfigureAwait(false);
            if (!response.KeepAlive) return;
        }
    }

    private async Task WriteErrorAsync(int status, string error, string reason, CancellationToken ct)
    {
        var response = new HttpResponse(_stream, keepAlive: false, headOnly: false, Abort, ct, _server.BlockedWrites);
        await response.WriteJsonAsync(status,
            "{\"error\":" + JsonConvert.ToString(error) + ",\"reason\":" + JsonConvert.ToString(reason) + "}").ConfigureAwait(false);
    }

    /// <summary>
    /// Reads until the buffer holds a complete head. Returns its length including the blank line, 0 on a clean
    /// end of stream before any byte, or -1 when the head exceeds the limit.
    /// </summary>
    private async Task<int> ReadHeadAsync(CancellationToken ct)
    {
        var searchFrom = _start;
        while (true)
        {
            var idx = _buf.AsSpan(searchFrom, _end - searchFrom).IndexOf(HeadEnd);
            if (idx >= 0)
            {
                var length = searchFrom - _start + idx + HeadEnd.Length;
                return length > _options.MaxHeaderBytes + HeadEnd.Length ? -1 : length;
            }
            if (_end - _start > _options.MaxHeaderBytes + HeadEnd.Length) return -1;
            searchFrom = Math.Max(_start, _end - (HeadEnd.Length - 1));
            var shift = _start;
            var read = await FillAsync(ct).ConfigureAwait(false);
            searchFrom -= shift - _start;
            if (read == 0)
            {
                if (_end == _start) return 0;
                throw new IOException("connection closed inside a request head");
            }
        }
    }

    /// <summary>Reads more bytes into the buffer (compacting or growing it first). Returns the count, 0 at end of stream.</summary>
    private async Task<int> FillAsync(CancellationToken ct)
    {
        if (_start > 0 && _start == _end)
        {
            _start = _end = 0;
        }
        if (_end == _buf.Length)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buf, _start, _buf, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            else
            {
                Array.Resize(ref _buf, _buf.Length * 2);
            }
        }
        var n = await _stream.ReadAsync(_buf.AsMemory(_end), ct).ConfigureAwait(false);
        _end += n;
        return n;
    }

    private async Task<byte[]?> ReadExactAsync(int length, CancellationToken ct)
    {
        var result = new byte[length];
        var copied = 0;
        while (copied < length)
        {
            if (_end == _start)
            {
                if (await FillAsync(ct).ConfigureAwait(false) == 0) return null;
            }
            var n = Math.Min(length - copied, _end - _start);
            Buffer.BlockCopy(_buf, _start, result, copied, n);
            _start += n;
            copied += n;
        }
        return result;
    }

    private async Task<string?> ReadLineAsync(int maxLength, CancellationToken ct)
    {
        var searchFrom = _start;
        while (true)
        {
            var idx = _buf.AsSpan(searchFrom, _end - searchFrom).IndexOf(LineEnd);
            if (idx >= 0)
            {
                var lineLength = searchFrom - _start + idx;
                var line = Encoding.Latin1.GetString(_buf, _start, lineLength);
                _start += lineLength + LineEnd.Length;
                return line;
            }
            if (_end - _start > maxLength) return null;
            searchFrom = Math.Max(_start, _end - 1);
            var shift = _start;
            var read = await FillAsync(ct).ConfigureAwait(false);
            searchFrom -= shift - _start;
            if (read == 0) return null;
        }
    }

    private async Task<byte[]?> ReadChunkedBodyAsync(CancellationToken ct)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var sizeLine = await ReadLineAsync(1024, ct).ConfigureAwait(false);
            if (sizeLine == null) return null;
            var semi = sizeLine.IndexOf(';');
            if (semi >= 0) sizeLine = sizeLine[..semi];
            if (!long.TryParse(sizeLine.Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size)
                || size < 0 || body.Length + size > _options.MaxBodyBytes)
                return null;
            if (size == 0)
            {
                // trailers up to the blank line
                while (true)
                {
                    var trailer = await ReadLineAsync(_options.MaxHeaderBytes, ct).ConfigureAwait(false);
                    if (trailer == null) return null;
                    if (trailer.Length == 0) return body.ToArray();
                }
            }
            var chunk = await ReadExactAsync((int)size, ct).ConfigureAwait(false);
            if (chunk == null) return null;
            body.Write(chunk);
            var crlf = await ReadLineAsync(2, ct).ConfigureAwait(false);
            if (crlf is not { Length: 0 }) return null;
        }
    }

    private static bool TryParseHead(string head, out string method, out string target, out string version,
        out IReadOnlyDictionary<string, string> headers)
    {
        method = target = version = "";
        var dict = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        headers = dict;
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3) return false;
        method = requestLine[0];
        target = requestLine[1];
        version = requestLine[2];
        if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            // absolute form (sent to proxies): keep the path and query only
            var authorityStart = target.IndexOf("//", StringComparison.Ordinal) + 2;
            var pathStart = target.IndexOf('/', authorityStart);
            target = pathStart < 0 ? "/" : target[pathStart..];
        }
        if (method.Length == 0 || target.Length == 0 || !version.StartsWith("HTTP/1.", StringComparison.Ordinal))
            return false;
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0) continue;
            var colon = line.IndexOf(':');
            if (colon <= 0) return false;
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            dict[name] = dict.TryGetValue(name, out var existing) ? existing + ", " + value : value;
        }
        return true;
    }
}
