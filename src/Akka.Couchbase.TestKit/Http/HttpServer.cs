using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Akka.Couchbase.TestKit.Tls;

namespace Akka.Couchbase.TestKit.Http;

/// <summary>
/// A small HTTP/1.1 server over <see cref="System.Net.Sockets"/>: keep-alive, chunked responses, bounded
/// headers, one request at a time per connection, every request handed to one asynchronous handler.
/// </summary>
/// <remarks>
/// The handler receives the parsed request, the response to write and a token cancelled when the server
/// stops or the connection is dropped. If the handler throws before writing the head, the client gets
/// 500 <c>{"error":"internal","reason":...}</c>; after the head, the connection is cut. If it returns without
/// writing anything, the client gets 404 <c>{"error":"not_found","reason":"not_found"}</c>; a started
/// response is ended for it.
/// </remarks>
public sealed class HttpServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<HttpRequest, HttpResponse, CancellationToken, Task> _handler;
    private readonly HttpServerOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, HttpConnection> _connections = new();
    private readonly Task _acceptLoop;
    private readonly TlsAcceptor? _tls;
    private long _nextConnectionId;
    private int _stopped;

    private HttpServer(Socket listener, Func<HttpRequest, HttpResponse, CancellationToken, Task> handler,
        HttpServerOptions options, TlsAcceptor? tls)
    {
        _tls = tls;
        _listener = listener;
        _handler = handler;
        _options = options;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        Address = ((IPEndPoint)listener.LocalEndPoint!).Address;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>
    /// Binds <paramref name="address"/>:<paramref name="port"/> (port 0 picks a free ephemeral port), starts
    /// accepting and returns at once.
    /// </summary>
    public static HttpServer Start(IPAddress address, int port,
        Func<HttpRequest, HttpResponse, CancellationToken, Task> handler)
        => Start(address, port, handler, HttpServerOptions.Default);

    /// <summary>As <see cref="Start(IPAddress,int,Func{HttpRequest,HttpResponse,CancellationToken,Task})"/>, with explicit limits.</summary>
    public static HttpServer Start(IPAddress address, int port,
        Func<HttpRequest, HttpResponse, CancellationToken, Task> handler, HttpServerOptions options)
        => Start(address, port, handler, options, tls: null);

    /// <summary>An HTTPS server: every accepted socket runs the TLS handshake of <paramref name="tls"/> first.</summary>
    internal static HttpServer Start(IPAddress address, int port,
        Func<HttpRequest, HttpResponse, CancellationToken, Task> handler, HttpServerOptions options, TlsAcceptor? tls)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(address, port));
            listener.Listen(options.Backlog);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return new HttpServer(listener, handler, options, tls);
    }

    /// <summary>The bound port (the chosen one when started with port 0).</summary>
    public int Port { get; }

    /// <summary>The bound address.</summary>
    public IPAddress Address { get; }

    /// <summary>Number of connections currently open.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Total number of requests handed to the handler since start.</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);
    private long _requestCount;

    internal void CountRequest() => Interlocked.Increment(ref _requestCount);

    /// <summary>
    /// Response writes that found a socket full (its peer reads slower than the handler writes, or not at all);
    /// <see cref="BlockedWrite.Progress"/> is the bytes of that response (head included) the socket had taken before.
    /// </summary>
    public BlockedWrites BlockedWrites { get; } = new();

    /// <summary>
    /// Resets every open connection (fault injection); the server keeps listening and accepts new ones.
    /// Handlers of the dropped connections see their token cancelled and their writes fail.
    /// </summary>
    public void DropConnections()
    {
        foreach (var connection in _connections.Values) connection.Abort();
    }

    /// <summary>Stops listening, resets every connection and waits for their handlers to finish. Idempotent.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            _stopping.Cancel();
            _listener.Dispose();
        }
        DropConnections();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // the accept loop ends with the listener; nothing to report
        }
        var running = _connections.Values.Select(c => c.Completion).ToArray();
        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // connection failures were already handled per connection
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task AcceptLoopAsync()
    {
        var ct = _stopping.Token;
        while (!ct.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                if (ct.IsCancellationRequested) return;
                continue;
            }

            socket.NoDelay = true;
            if (_options.SendBufferSize is { } size) socket.SendBufferSize = size;
            var id = Interlocked.Increment(ref _nextConnectionId);
            var connection = new HttpConnection(this, socket, _handler, _options, _tls, ct);
            _connections[id] = connection;
            connection.Start(() => _connections.TryRemove(id, out _));
            if (ct.IsCancellationRequested) connection.Abort();
        }
    }
}
