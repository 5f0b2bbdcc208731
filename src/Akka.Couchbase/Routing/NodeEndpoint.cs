namespace Akka.Couchbase.Routing;

/// <summary>One KV node of a cluster map and the ports of the services the client uses on it.</summary>
/// <param name="Host">Host name or IP literal, without brackets (an IPv6 literal is plain, e.g. <c>::1</c>).</param>
/// <param name="KvPort">The KV (memcached binary protocol) port.</param>
/// <param name="MgmtPort">The cluster manager REST port (8091 unless the map says otherwise).</param>
/// <param name="ViewsPort">The views (CAPI) port, or null when the node serves no views.</param>
/// <param name="ViewsBaseUri">The views base URL (<c>couchApiBase</c>, e.g. <c>http://host:8092/bucket</c>), or null.</param>
internal sealed record NodeEndpoint(string Host, int KvPort, int MgmtPort, int? ViewsPort, string? ViewsBaseUri)
{
    /// <summary><c>"host:kvport"</c>, IPv6 hosts in brackets: the form used in <c>serverList</c> and by ketama.</summary>
    public string KvAddress => HostPort.Format(Host, KvPort);

    /// <inheritdoc />
    public override string ToString() => KvAddress;
}
