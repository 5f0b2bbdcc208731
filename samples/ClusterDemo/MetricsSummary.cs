using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Akka.Couchbase.Observability;

/// <summary>
/// Listens to the client's <c>Akka.Couchbase</c> meter for the whole run; <see cref="Print"/> prints a short summary:
/// operations by name (count, mean and slowest duration), then the counters (docs/observability.md).
/// </summary>
internal sealed class MetricsSummary : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, (long Count, double Sum, double Max)> _operations = new();
    private readonly ConcurrentDictionary<string, long> _counters = new();

    private MetricsSummary()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == CouchbaseTelemetry.MeterName && instrument is not ObservableInstrument<int>)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            var name = "?";
            foreach (var tag in tags)
                if (tag.Key == "db.operation.name") name = tag.Value as string ?? "?";
            _operations.AddOrUpdate(name, (1, seconds, seconds), (_, o) => (o.Count + 1, o.Sum + seconds, Math.Max(o.Max, seconds)));
        });
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            _counters.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        _listener.Start();
    }

    public static MetricsSummary Start() => new();

    public void Dispose() => _listener.Dispose();

    /// <summary>Prints what the meter measured so far.</summary>
    public void Print()
    {
        Console.WriteLine("Metrics summary (meter Akka.Couchbase):");
        foreach (var (name, o) in _operations.OrderByDescending(p => p.Value.Count))
            Console.WriteLine($"  {name,-14} {o.Count,8} ops  mean {o.Sum / o.Count * 1000,8:F3} ms  slowest {o.Max * 1000,9:F3} ms");
        foreach (var (name, sum) in _counters.OrderBy(p => p.Key))
            Console.WriteLine($"  {name,-36} {sum,12:N0}");
    }
}
