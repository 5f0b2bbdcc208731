using System.Net;
using System.Net.Sockets;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.Tests.Infrastructure;

/// <summary>
/// A tiny in-test KV server that misbehaves on loopback. Some modes break the connection before any protocol: accept
/// and close, accept and reset (RST), accept and never speak, or read the client's first bytes (its handshake, so
/// that nothing unread turns the close into a reset) and then close. The others complete the handshake like stock memcached
/// (HELLO: unknown command) and then answer the first data request with what a broken server might send: garbage, a
/// truncated frame (then close), an oversized frame header, or a response for a request that was never sent.
/// </summary>
public sealed class MisbehavingServer : IDisposable
{
    public enum Mode
    {
        Garbage, TruncatedThenClose, OversizedHeader, UnknownOpaque, AcceptThenClose, AcceptThenReset, AcceptThenSilence,
        ReadThenClose,
    }

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Mode _mode;
    private int _dataRequests;

    private int _connections;
    private readonly List<TcpClient> _held = new();

    public MisbehavingServer(Mode mode, int port = 0)
    {
        _mode = mode;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoop();
    }

    public int Port { get; }
    public string Address => $"127.0.0.1:{Port}";
    public int DataRequests => Volatile.Read(ref _dataRequests);

    /// <summary>Connections accepted so far (each a connection attempt of a client).</summary>
    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            Interlocked.Increment(ref _connections);
            switch (_mode)
            {
                case Mode.AcceptThenClose:
                    client.Close();
                    continue;
                case Mode.AcceptThenReset:
                    client.LingerState = new LingerOption(true, 0); // close with RST
                    client.Close();
                    continue;
                case Mode.AcceptThenSilence:
                    lock (_held) _held.Add(client); // never read, never written, closed at Dispose
                    continue;
                case Mode.ReadThenClose:
                    _ = CloseAfterFirstRead(client);
                    continue;
            }
            _ = Serve(client);
        }
    }

    private async Task CloseAfterFirstRead(TcpClient client)
    {
        using var _ = client;
        try
        {
            // The client writes its handshake in one batch and then waits for the answers: once it is read, the close
            // finds nothing unread and goes out as a FIN, never as a reset.
            var read = await client.GetStream().ReadAsync(new byte[65536], _stop.Token);
            if (read == 0) return; // the client hung up first: nothing was read, nothing to wait for
        }
        catch (Exception) { /* the client closed on us: nothing to hang up */ }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var decoder = new FrameDecoder(1 << 20);
        var frames = new List<Frame>();
        var buffer = new byte[65536];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var n = await stream.ReadAsync(buffer, _stop.Token);
                if (n == 0) return;
                frames.Clear();
                decoder.Feed(buffer.AsSpan(0, n), frames);
                foreach (var frame in frames)
                {
                    if (frame.Opcode == Opcode.Hello)
                    {
                        await stream.WriteAsync(FrameWriter.Response(Opcode.Hello, KvStatus.UnknownCommand, frame.Opaque));
                        continue;
                    }
                    Interlocked.Increment(ref _dataRequests);
                    await Misbehave(stream, frame);
                    if (_mode == Mode.TruncatedThenClose) return;
                }
            }
        }
        catch (Exception) { /* the client closed on us: expected */ }
    }

    private async Task Misbehave(NetworkStream stream, Frame request)
    {
        switch (_mode)
        {
            case Mode.Garbage:
                await stream.WriteAsync(new byte[] { 0x42, 0x41, 0x44, 0x21, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 });
                break;
            case Mode.TruncatedThenClose:
                var full = FrameWriter.Response(request.Opcode, KvStatus.Success, request.Opaque, cas: 1, value: new byte[100]);
                await stream.WriteAsync(full.AsMemory(0, 30));
                break;
            case Mode.OversizedHeader:
                var header = FrameWriter.Response(request.Opcode, KvStatus.Success, request.Opaque);
                header[8] = 0x7f; header[9] = 0xff; header[10] = 0xff; header[11] = 0xff; // body of 2 GiB
                await stream.WriteAsync(header);
                break;
            case Mode.UnknownOpaque:
                await stream.WriteAsync(FrameWriter.Response(request.Opcode, KvStatus.Success, request.Opaque + 1_000_000));
                break;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_held)
        {
            foreach (var client in _held) client.Close();
            _held.Clear();
        }
    }
}
