namespace Akka.Couchbase.Routing;

/// <summary>One KV node of a cluster map and the ports of the services the client uses on it.</summary>
/// <param name="Host">Host name or IP literal, without brackets (an IPv6 literal is plain, e.g. <c>::1</c>).</param>
/// <param name="KvPort">The KV (memcached binary protocol) port.</param>
/// <param name="MgmtPort">The cluster manager REST port (8091 unless the map says otherwise).</param>
/// <param name="ViewsPort">The views (CAPI) port, or null when the node serves no views.</param>
/// <param name="ViewsBaseUri">The views base URL (<c>couchApiBase</c>, e.g. <c>http://host:8092/bucket</c>), or null.</param>
internal sealed record NodeEndpoint(string Host, int KvPort, int MgmtPort, int? ViewsPort, string? ViewsBaseUri)
{
    /// <summary>The KV port over TLS (<c>nodesExt.services.kvSSL</c>), or null when the map does not say.</summary>
    public int? KvTlsPort { get; init; }

    /// <summary>The cluster manager port over TLS (<c>mgmtSSL</c>), or null when the map does not say.</summary>
    public int? MgmtTlsPort { get; init; }

    /// <summary>The views port over TLS (<c>capiSSL</c>), or null when the map does not say.</summary>
    public int? ViewsTlsPort { get; init; }

    /// <summary><c>"host:kvport"</c>, IPv6 hosts in brackets: the form used in <c>serverList</c> and by ketama.</summary>
    public string KvAddress => HostPort.Format(Host, KvPort);

    /// <summary>
    /// The port the client connects to for KV: with TLS the map's <c>kvSSL</c>, or 11207 (Couchbase Server's TLS KV
    /// port) when the map names none; without TLS <see cref="KvPort"/>.
    /// </summary>
    public int KvPortFor(bool tls) => tls ? KvTlsPort ?? DefaultKvTlsPort : KvPort;

    /// <summary>Couchbase Server's KV port over TLS.</summary>
    public const int DefaultKvTlsPort = 11207;

    /// <summary>Couchbase Server's views port over TLS.</summary>
    public const int DefaultViewsTlsPort = 18092;

    /// <inheritdoc />
    public override string ToString() => KvAddress;
}
