using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Akka.Couchbase.TestKit.Cluster;
using Akka.Couchbase.TestKit.Tls;

namespace Akka.Couchbase.TestKit.Kv;

/// <summary>
/// A KV port of one node, plain or TLS (with a <see cref="TlsAcceptor"/>): accepts sockets and runs a
/// <see cref="KvConnection"/> for each.
/// </summary>
internal sealed class KvListener : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly ClusterModel _cluster;
    private readonly InProcessNode _node;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<KvConnection, byte> _connections = new();
    private readonly Task _acceptLoop;
    private readonly TlsAcceptor? _tls;

    private KvListener(Socket listener, ClusterModel cluster, InProcessNode node, TlsAcceptor? tls)
    {
        _tls = tls;
        _listener = listener;
        _cluster = cluster;
        _node = node;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public int ConnectionCount => _connections.Count;

    public static KvListener Start(IPAddress address, int port, ClusterModel cluster, InProcessNode node, TlsAcceptor? tls = null)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new KvListener(socket, cluster, node, tls);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException)
            {
                if (_stopping.IsCancellationRequested) return;
                continue;
            }
            var connection = new KvConnection(socket, _cluster, _node, _tls, _stopping.Token);
            _connections[connection] = 0;
            connection.Start(() => _connections.TryRemove(connection, out _));
        }
    }

    /// <summary>Closes every open connection; the port stays open.</summary>
    public void DropConnections()
    {
        foreach (var c in _connections.Keys) c.Drop();
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener.Dispose();
        DropConnections();
        try { await _acceptLoop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        await Task.WhenAll(_connections.Keys.Select(c => c.Completion)).ConfigureAwait(false);
        // _stopping is not disposed: a socket accepted at the moment of stopping may still read its token, and a
        // cancellation source without a timer holds nothing that needs disposing.
    }
}
