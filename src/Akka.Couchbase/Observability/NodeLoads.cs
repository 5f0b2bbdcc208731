using System.Diagnostics.Metrics;

namespace Akka.Couchbase.Observability;

/// <summary>What a node connection shows of its load to the gauges; read from the collecting thread.</summary>
internal interface INodeLoad
{
    /// <summary>The node and bucket, as attributes.</summary>
    TelemetryEndpoint Endpoint { get; }
    /// <summary>Requests written and not yet answered (a recent value: read without the actor's thread).</summary>
    int InFlightCount { get; }
    /// <summary>Requests waiting to be written.</summary>
    int QueuedCount { get; }
}

/// <summary>
/// The live node connections, for the <c>couchbase.kv.in_flight</c> and <c>couchbase.kv.queued</c> gauges: a
/// connection registers when it starts and leaves when it stops; the gauges read them only when collected, so the
/// request path pays nothing for them.
/// </summary>
internal static class NodeLoads
{
    private static readonly List<INodeLoad> Live = new();

    public static void Add(INodeLoad load)
    {
        lock (Live) Live.Add(load);
    }

    public static void Remove(INodeLoad load)
    {
        lock (Live) Live.Remove(load);
    }

    internal static IEnumerable<Measurement<int>> InFlight() => Read(static l => l.InFlightCount);

    internal static IEnumerable<Measurement<int>> Queued() => Read(static l => l.QueuedCount);

    private static List<Measurement<int>> Read(Func<INodeLoad, int> value)
    {
        lock (Live)
        {
            var measurements = new List<Measurement<int>>(Live.Count);
            foreach (var load in Live) measurements.Add(new Measurement<int>(value(load), load.Endpoint.Tags()));
            return measurements;
        }
    }
}
