namespace Akka.Couchbase.TestKit.Tls;

/// <summary>
/// TLS handshakes the cluster's nodes have completed, per service, and those that failed (the client refused the
/// certificate, presented one that was refused, or spoke no TLS), since start. Read from
/// <see cref="ClusterTls.Handshakes"/>.
/// </summary>
/// <param name="Kv">Completed on KV TLS ports.</param>
/// <param name="Mgmt">Completed on cluster manager HTTPS ports.</param>
/// <param name="Views">Completed on views (CAPI) HTTPS ports.</param>
/// <param name="Failed">Failed, on any port.</param>
public sealed record TlsHandshakeCounts(int Kv, int Mgmt, int Views, int Failed);
