namespace Akka.Couchbase.Observability;

/// <summary>
/// What one client (one supervisor) keeps for its telemetry: its bucket, its observability settings, and the
/// endpoint that stands for it in measurements of requests no node connection took.
/// </summary>
internal sealed class ClientTelemetry
{
    public ClientTelemetry(string bucket, ObservabilitySettings settings)
    {
        Bucket = bucket;
        Settings = settings;
        Endpoint = new TelemetryEndpoint(this);
    }

    public string Bucket { get; }
    public ObservabilitySettings Settings { get; }
    /// <summary>The client without a node.</summary>
    public TelemetryEndpoint Endpoint { get; }

    /// <summary>The endpoint of the node <paramref name="host"/>:<paramref name="port"/> of this client.</summary>
    public TelemetryEndpoint ForNode(string host, int port) => new(this, host, port);
}
