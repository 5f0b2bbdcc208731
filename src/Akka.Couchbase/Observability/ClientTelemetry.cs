using System.Diagnostics;

namespace Akka.Couchbase.Observability;

/// <summary>
/// What one client (one supervisor) keeps for its telemetry: its bucket, its observability settings, the endpoint
/// that stands for it in measurements of requests no node connection took, and what its next slow-operation and
/// orphan reports will hold (null when that report is off).
/// </summary>
internal sealed class ClientTelemetry
{
    private static readonly List<ClientTelemetry> LiveClients = new();
    private readonly string?[] _spanNames = new string?[256];

    public ClientTelemetry(string bucket, ObservabilitySettings settings)
    {
        Bucket = bucket;
        Settings = settings;
        Endpoint = new TelemetryEndpoint(this);
        if (settings.ThresholdLogging)
        {
            KvSlow = new TopRequests(settings.ThresholdSampleSize);
            ViewsSlow = new TopRequests(settings.ThresholdSampleSize);
        }
        if (settings.OrphanLogging) Orphans = new TopRequests(settings.OrphanSampleSize);
        KvThresholdTicks = (long)(settings.KvThreshold.TotalSeconds * Stopwatch.Frequency);
        ViewsThresholdTicks = (long)(settings.ViewsThreshold.TotalSeconds * Stopwatch.Frequency);
    }

    public string Bucket { get; }
    public ObservabilitySettings Settings { get; }
    /// <summary>The client without a node.</summary>
    public TelemetryEndpoint Endpoint { get; }

    /// <summary>KV operations over <see cref="ObservabilitySettings.KvThreshold"/> since the last report.</summary>
    public TopRequests? KvSlow { get; }
    /// <summary>View queries over <see cref="ObservabilitySettings.ViewsThreshold"/> since the last report.</summary>
    public TopRequests? ViewsSlow { get; }
    /// <summary>Responses that came after their operation timed out, since the last report.</summary>
    public TopRequests? Orphans { get; }
    public long KvThresholdTicks { get; }
    public long ViewsThresholdTicks { get; }

    /// <summary>The span name of an operation: <c>{db.operation.name} {db.namespace}</c>, made once per opcode.</summary>
    public string SpanName(Protocol.Opcode opcode) =>
        _spanNames[(byte)opcode] ??= OperationNames.Of(opcode) + " " + Bucket;

    /// <summary>The endpoint of the node <paramref name="host"/>:<paramref name="port"/> of this client.</summary>
    public TelemetryEndpoint ForNode(string host, int port) => new(this, host, port);

    /// <summary>Makes this client one that view queries of its bucket are reported to (until <see cref="Leave"/>).</summary>
    public void Join()
    {
        lock (LiveClients) LiveClients.Add(this);
    }

    public void Leave()
    {
        lock (LiveClients) LiveClients.Remove(this);
    }

    /// <summary>The live clients of <paramref name="bucket"/> (view queries name their bucket in their path).</summary>
    public static List<ClientTelemetry> OfBucket(string bucket)
    {
        lock (LiveClients) return LiveClients.Where(c => c.Bucket == bucket).ToList();
    }
}
