using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Akka.Couchbase.Observability;

/// <summary>
/// The client's <see cref="Meter"/>, <see cref="ActivitySource"/> and every instrument, made once per process and
/// shared by every client (their attributes tell them apart: <c>db.namespace</c> is the bucket,
/// <c>server.address</c>/<c>server.port</c> the node). An instrument nobody listens to costs one check of
/// <see cref="Instrument.Enabled"/> where it would be recorded.
/// </summary>
internal static class Instruments
{
    private static readonly string? Version =
        typeof(Instruments).Assembly.GetName().Version?.ToString();

    public static readonly Meter Meter = new(CouchbaseTelemetry.MeterName, Version);

    public static readonly ActivitySource Source = new(CouchbaseTelemetry.ActivitySourceName, Version);

    /// <summary>OpenTelemetry's buckets for <c>db.client.operation.duration</c>, in seconds.</summary>
    internal static readonly double[] DurationBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public static readonly Histogram<double> OperationDuration = CreateDurationHistogram(
        "db.client.operation.duration",
        "Duration of KV operations and view queries, from admission to reply (by operation and outcome)");

    public static readonly Counter<long> ConnectionsOpened = Meter.CreateCounter<long>(
        "couchbase.connections.opened", "{connection}", "KV connections that finished their handshake");

    public static readonly Counter<long> ConnectionsClosed = Meter.CreateCounter<long>(
        "couchbase.connections.closed", "{connection}", "KV connections lost or closed after their handshake");

    public static readonly Counter<long> ConnectionsFailed = Meter.CreateCounter<long>(
        "couchbase.connections.failed", "{connection}", "KV connection attempts that failed before the end of their handshake");

    public static readonly Counter<long> Reconnects = Meter.CreateCounter<long>(
        "couchbase.connections.reconnects", "{connection}", "KV reconnect attempts after a lost or failed connection");

    public static readonly Counter<long> NotMyVBucket = Meter.CreateCounter<long>(
        "couchbase.kv.not_my_vbucket", "{response}", "NOT_MY_VBUCKET replies: requests redirected after a map change");

    public static readonly Counter<long> ClusterMapsApplied = Meter.CreateCounter<long>(
        "couchbase.cluster_map.revisions", "{revision}", "Newer cluster map revisions applied");

    public static readonly Counter<long> Timeouts = Meter.CreateCounter<long>(
        "couchbase.operations.timeouts", "{operation}", "KV operations that failed with a timeout");

    public static readonly Counter<long> Ambiguous = Meter.CreateCounter<long>(
        "couchbase.operations.ambiguous", "{operation}", "KV mutations whose result is unknown (written, reply lost)");

    public static readonly Counter<long> BytesWritten = Meter.CreateCounter<long>(
        "couchbase.kv.bytes_written", "By", "Bytes written to KV connections");

    public static readonly Counter<long> BytesRead = Meter.CreateCounter<long>(
        "couchbase.kv.bytes_read", "By", "Bytes read from KV connections");

    public static readonly Counter<long> OrphanedResponses = Meter.CreateCounter<long>(
        "couchbase.kv.orphaned_responses", "{response}", "Responses that arrived after their operation had timed out");

    public static readonly Counter<long> ViewRows = Meter.CreateCounter<long>(
        "couchbase.views.rows", "{row}", "View rows streamed to consumers");

    /// <summary>Requests written to a node and not yet answered, per node (read when collected).</summary>
    public static readonly ObservableGauge<int> InFlight = Meter.CreateObservableGauge(
        "couchbase.kv.in_flight", NodeLoads.InFlight, "{request}", "KV requests written to a node and not yet answered");

    /// <summary>Requests waiting in a node's queue to be written, per node (read when collected).</summary>
    public static readonly ObservableGauge<int> Queued = Meter.CreateObservableGauge(
        "couchbase.kv.queued", NodeLoads.Queued, "{request}", "KV requests waiting in a node connection's queue");

    private static Histogram<double> CreateDurationHistogram(string name, string description) =>
#if NET9_0_OR_GREATER
        Meter.CreateHistogram(name, "s", description, tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
#else
        Meter.CreateHistogram<double>(name, "s", description);
#endif
}
