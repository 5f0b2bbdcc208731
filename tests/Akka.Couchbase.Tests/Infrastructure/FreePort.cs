using System.Net;
using System.Net.Sockets;

namespace Akka.Couchbase.Tests.Infrastructure;

/// <summary>Loopback ports for tests: one nobody listens on now, or one that refuses connections while it is held.</summary>
public static class FreePort
{
    /// <summary>A port nobody listens on at the moment of the call (another test's server may take it later).</summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>
    /// A port that refuses every connection (RST: "connection refused") until disposed: it is bound and never listens,
    /// so no other test's server can take it meanwhile, and a connect to it can never pick it as its own local port
    /// (a loopback connect to a free port in the ephemeral range can, rarely, connect to itself).
    /// </summary>
    public static RefusingPort Refusing() => new();
}

/// <summary>A bound, never listening loopback port; see <see cref="FreePort.Refusing"/>.</summary>
public sealed class RefusingPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public RefusingPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>"127.0.0.1:port".</summary>
    public string Address => $"127.0.0.1:{Port}";

    public void Dispose() => _socket.Dispose();
}
