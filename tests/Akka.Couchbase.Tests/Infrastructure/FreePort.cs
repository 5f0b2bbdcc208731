using System.Net;
using System.Net.Sockets;

namespace Akka.Couchbase.Tests.Infrastructure;

/// <summary>Finds a loopback port nobody listens on.</summary>
public static class FreePort
{
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
