using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Cluster;
using Akka.Couchbase.TestKit.Tls;

namespace Akka.Couchbase.TestKit.Kv;

/// <summary>
/// One accepted KV socket: reads whatever arrived, decodes every whole frame, executes them in order and
/// writes all their replies in one batch. Applies the node's hiccup and truncation faults on the way out.
/// On a TLS port the handshake comes first, and the bytes go through the <see cref="SslStream"/>; on a plain port
/// they go to the socket itself, as directly as before TLS existed (the throughput benchmarks run there).
/// </summary>
internal sealed class KvConnection
{
    private readonly Socket _socket;
    private readonly InProcessNode _node;
    private readonly FrameDecoder _decoder;
    private readonly KvResponder _responder = new();
    private readonly KvDispatcher _dispatcher;
    private readonly CancellationTokenSource _cts;
    private readonly ClusterModel _cluster;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TlsAcceptor? _tlsAcceptor;
    private SslStream? _tls;

    public KvConnection(Socket socket, ClusterModel cluster, InProcessNode node, TlsAcceptor? tls, CancellationToken stopping)
    {
        _socket = socket;
        _tlsAcceptor = tls;
        _cluster = cluster;
        _node = node;
        _decoder = new FrameDecoder(cluster.Options.MaxFrameBodySize);
        _dispatcher = new KvDispatcher(cluster, node, _responder);
        _cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        socket.NoDelay = true;
    }

    /// <summary>Closes the socket at once (fault injection or node stop).</summary>
    public void Drop()
    {
        try { _cts.Cancel(); } catch (ObjectDisposedException) { }
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        _socket.Dispose();
    }

    /// <summary>Completes when the connection has closed.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Starts serving on the thread pool; <paramref name="closed"/> runs once the socket is closed.</summary>
    public void Start(Action closed) => Completion = Task.Run(async () =>
    {
        if (_tlsAcceptor != null && !await HandshakeAsync().ConfigureAwait(false))
        {
            Drop();
            _cts.Dispose();
            closed();
            return;
        }
        var pushes = Task.Run(PushLoopAsync);
        try
        {
            await RunAsync().ConfigureAwait(false);
        }
        finally
        {
            try
            {
                await pushes.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or IOException)
            {
                // The connection is closing; a push that was under way has nowhere to go.
            }
            if (_tls != null) await _tls.DisposeAsync().ConfigureAwait(false);
            _cts.Dispose();
            closed();
        }
    });

    /// <summary>
    /// The TLS handshake; false when it failed or the client's certificate was refused (the connection closes, as the
    /// server's does). A valid client certificate authenticates the session as the user it names.
    /// </summary>
    private async Task<bool> HandshakeAsync()
    {
        try
        {
            var (stream, user) = await _tlsAcceptor!.AuthenticateAsync(_socket, _cts.Token).ConfigureAwait(false);
            _tls = stream;
            if (user != null) _dispatcher.AuthenticateByCertificate(user);
            return true;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException
                                      or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    private ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken ct) =>
        _tls is null ? _socket.ReceiveAsync(buffer, SocketFlags.None, ct) : _tls.ReadAsync(buffer, ct);

    /// <summary>Pushes each new map to a client that negotiated cluster map change notifications (Duplex).</summary>
    private async Task PushLoopAsync()
    {
        var ct = _cts.Token;
        try
        {
            var changed = _cluster.ConfigChanged;
            while (!ct.IsCancellationRequested)
            {
                await changed.WaitAsync(ct).ConfigureAwait(false);
                changed = _cluster.ConfigChanged; // taken before building, so no change is missed
                byte[]? push;
                lock (_cluster.Sync) push = _dispatcher.BuildPush();
                if (push is null) continue;
                await _writeLock.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    await WaitOutHiccupAsync(ct).ConfigureAwait(false);
                    await SendAllAsync(push, ct).ConfigureAwait(false);
                }
                finally
                {
                    _writeLock.Release();
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        catch (IOException) { }
    }

    private async Task RunAsync()
    {
        var buffer = new byte[64 * 1024];
        var frames = new List<Frame>();
        var ct = _cts.Token;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var n = await ReceiveAsync(buffer, ct).ConfigureAwait(false);
                if (n == 0) break;
                frames.Clear();
                try
                {
                    _decoder.Feed(buffer.AsSpan(0, n), frames);
                }
                catch (ProtocolException)
                {
                    break;
                }
                var keepOpen = true;
                foreach (var frame in frames)
                {
                    if (!_dispatcher.Handle(frame))
                    {
                        keepOpen = false;
                        break;
                    }
                }
                if (_responder.Buffer.WrittenCount > 0 && !await FlushAsync(ct).ConfigureAwait(false)) break;
                if (!keepOpen) break;
            }
        }
        catch (OperationCanceledException) { }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        catch (IOException) { }
        finally
        {
            Drop(); // the push loop may still read _cts: Start disposes it once both loops have ended
        }
    }

    /// <summary>Writes the batch; false if the connection must close (truncation fault).</summary>
    private async Task<bool> FlushAsync(CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await FlushLockedAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task WaitOutHiccupAsync(CancellationToken ct)
    {
        while (true)
        {
            var changed = _node.HiccupChanged;
            var wait = _node.HiccupUntil - DateTime.UtcNow;
            if (wait <= TimeSpan.Zero) return;
            await Task.WhenAny(Task.Delay(wait, ct), changed).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
        }
    }

    private async Task<bool> FlushLockedAsync(CancellationToken ct)
    {
        await WaitOutHiccupAsync(ct).ConfigureAwait(false);
        var data = _responder.Buffer.WrittenMemory;
        var truncate = _node.TakeTruncate();
        if (truncate >= 0)
        {
            var first = Frame.HeaderSize + (int)BinaryPrimitives.ReadUInt32BigEndian(data.Span.Slice(8));
            var send = Math.Clamp(truncate, 0, first - 1);
            if (send > 0) await SendAllAsync(data.Slice(0, send), ct).ConfigureAwait(false);
            _responder.Clear();
            return false;
        }
        await SendAllAsync(data, ct).ConfigureAwait(false);
        _responder.Clear();
        return true;
    }

    private async Task SendAllAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        if (_tls != null)
        {
            await _tls.WriteAsync(data, ct).ConfigureAwait(false);
            return;
        }
        while (!data.IsEmpty)
        {
            var sent = await _socket.SendAsync(data, SocketFlags.None, ct).ConfigureAwait(false);
            data = data.Slice(sent);
        }
    }
}
