using System.Net;
using Akka.Couchbase.TestKit.Http;
using Akka.Couchbase.TestKit.Kv;
using Akka.Couchbase.TestKit.Tls;

namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>
/// The running listeners of one node: KV, cluster manager REST and views, and with TLS the same three again over
/// TLS (null without).
/// </summary>
internal sealed class NodeRuntime : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _all;

    private NodeRuntime(List<IAsyncDisposable> started)
    {
        _all = started;
        Kv = (KvListener)started[0];
        Mgmt = (HttpServer)started[1];
        Views = (HttpServer)started[2];
        if (started.Count == 6)
        {
            KvTls = (KvListener)started[3];
            MgmtTls = (HttpServer)started[4];
            ViewsTls = (HttpServer)started[5];
        }
    }

    public KvListener Kv { get; }
    public HttpServer Mgmt { get; }
    public HttpServer Views { get; }
    public KvListener? KvTls { get; }
    public HttpServer? MgmtTls { get; }
    public HttpServer? ViewsTls { get; }

    /// <summary>KV connections open now, plain and TLS.</summary>
    public int KvConnectionCount => Kv.ConnectionCount + (KvTls?.ConnectionCount ?? 0);

    /// <summary>Closes every KV connection, plain and TLS; the ports stay open.</summary>
    public void DropKvConnections()
    {
        Kv.DropConnections();
        KvTls?.DropConnections();
    }

    /// <summary>Binds the ports (0 = ephemeral) and starts serving; the TLS ones when <paramref name="tls"/> is on.</summary>
    public static NodeRuntime Start(ClusterModel cluster, InProcessNode node, NodePorts ports, ClusterTls tls,
        Func<HttpRequest, HttpResponse, CancellationToken, Task> mgmtHandler,
        Func<HttpRequest, HttpResponse, CancellationToken, Task> viewsHandler)
    {
        var address = IPAddress.TryParse(node.Host, out var parsed) ? parsed
            : string.Equals(node.Host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : throw new ArgumentException($"Host must be an IP address or localhost, not '{node.Host}'");
        var started = new List<IAsyncDisposable>();
        try
        {
            started.Add(KvListener.Start(address, ports.Kv, cluster, node));
            started.Add(HttpServer.Start(address, ports.Mgmt, mgmtHandler));
            started.Add(HttpServer.Start(address, ports.Views, viewsHandler));
            if (tls.IsEnabled)
            {
                started.Add(KvListener.Start(address, ports.KvTls, cluster, node, new TlsAcceptor(tls, node, TlsService.Kv)));
                started.Add(HttpServer.Start(address, ports.MgmtTls, mgmtHandler, HttpServerOptions.Default,
                    new TlsAcceptor(tls, node, TlsService.Mgmt)));
                started.Add(HttpServer.Start(address, ports.ViewsTls, viewsHandler, HttpServerOptions.Default,
                    new TlsAcceptor(tls, node, TlsService.Views)));
            }
            return new NodeRuntime(started);
        }
        catch
        {
            foreach (var s in started) _ = s.DisposeAsync().AsTask();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _all) await s.DisposeAsync().ConfigureAwait(false);
    }
}
