using System.Net;
using Akka.Couchbase.TestKit.Http;
using Akka.Couchbase.TestKit.Kv;

namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>The running listeners of one node: KV, cluster manager REST and views.</summary>
internal sealed class NodeRuntime(KvListener kv, HttpServer mgmt, HttpServer views) : IAsyncDisposable
{
    public KvListener Kv { get; } = kv;
    public HttpServer Mgmt { get; } = mgmt;
    public HttpServer Views { get; } = views;

    /// <summary>Binds the three ports (0 = ephemeral) and starts serving.</summary>
    public static NodeRuntime Start(ClusterModel cluster, InProcessNode node, int kvPort, int mgmtPort, int viewsPort,
        Func<HttpRequest, HttpResponse, CancellationToken, Task> mgmtHandler,
        Func<HttpRequest, HttpResponse, CancellationToken, Task> viewsHandler)
    {
        var address = IPAddress.TryParse(node.Host, out var parsed) ? parsed
            : string.Equals(node.Host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : throw new ArgumentException($"Host must be an IP address or localhost, not '{node.Host}'");
        var kv = KvListener.Start(address, kvPort, cluster, node);
        HttpServer? mgmt = null;
        try
        {
            mgmt = HttpServer.Start(address, mgmtPort, mgmtHandler);
            var views = HttpServer.Start(address, viewsPort, viewsHandler);
            return new NodeRuntime(kv, mgmt, views);
        }
        catch
        {
            _ = kv.DisposeAsync().AsTask();
            if (mgmt != null) _ = mgmt.DisposeAsync().AsTask();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Kv.DisposeAsync().ConfigureAwait(false);
        await Mgmt.DisposeAsync().ConfigureAwait(false);
        await Views.DisposeAsync().ConfigureAwait(false);
    }
}
