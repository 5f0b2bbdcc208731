using System.Diagnostics;
using Akka.Couchbase.Routing;

namespace Akka.Couchbase.Observability;

/// <summary>
/// One client's bucket, and possibly one node of it, as attributes: made once per client and once per node
/// connection, so that recording a measurement allocates nothing (the port is boxed here, once). A request carries
/// its client's endpoint from admission, and its node's once a connection takes it.
/// </summary>
internal sealed class TelemetryEndpoint
{
    public TelemetryEndpoint(ClientTelemetry client, string? host = null, int port = 0)
    {
        Client = client;
        Host = host;
        PortNumber = port;
        Port = host is null ? null : port;
        Socket = host is null ? null : HostPort.Format(host, port);
    }

    /// <summary>The client this belongs to (its bucket, its reports).</summary>
    public ClientTelemetry Client { get; }
    public string Bucket => Client.Bucket;
    /// <summary>The node's host, or null for the client's endpoint (a request no connection took).</summary>
    public string? Host { get; }
    public int PortNumber { get; }
    /// <summary>The port, boxed once.</summary>
    public object? Port { get; }
    /// <summary><c>host:port</c> (<c>[v6]:port</c>), or null.</summary>
    public string? Socket { get; }

    /// <summary>The id of the node's current connection (as sent in HELLO), for the reports; null before the first.</summary>
    public volatile string? LocalId;

    /// <summary><c>db.system.name</c>, <c>db.namespace</c> and, for a node, <c>server.address</c> and <c>server.port</c>.</summary>
    public TagList Tags()
    {
        var tags = new TagList
        {
            { SemanticTags.DbSystemName, SemanticTags.Couchbase },
            { SemanticTags.DbNamespace, Bucket },
        };
        if (Host is not null)
        {
            tags.Add(SemanticTags.ServerAddress, Host);
            tags.Add(SemanticTags.ServerPort, Port);
        }
        return tags;
    }
}
