using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Akka.Couchbase.Observability;

namespace Akka.Couchbase.Tests.Observability;

/// <summary>One measurement of an <c>Akka.Couchbase</c> instrument, with its attributes.</summary>
public sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public string? Tag(string name) => Tags.TryGetValue(name, out var v) ? v?.ToString() : null;
}

/// <summary>
/// A <see cref="MeterListener"/> on every instrument of the <c>Akka.Couchbase</c> meter, keeping the measurements
/// of one bucket (the meter is shared by every client in the process: each spec names its own bucket).
/// </summary>
public sealed class MeterCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measured> _measured = new();
    private readonly string _bucket;

    public MeterCapture(string bucket)
    {
        _bucket = bucket;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == CouchbaseTelemetry.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var dictionary = new Dictionary<string, object?>();
        foreach (var tag in tags) dictionary[tag.Key] = tag.Value;
        if (dictionary.TryGetValue("db.namespace", out var bucket) && Equals(bucket, _bucket))
            _measured.Enqueue(new Measured(instrument.Name, value, dictionary));
    }

    /// <summary>Reads the observable gauges now.</summary>
    public void CollectGauges() => _listener.RecordObservableInstruments();

    /// <summary>This bucket's measurements of <paramref name="instrument"/> so far.</summary>
    public List<Measured> Of(string instrument) => _measured.Where(m => m.Instrument == instrument).ToList();

    /// <summary>The sum of this bucket's measurements of a counter, optionally only those matching <paramref name="where"/>.</summary>
    public double Sum(string instrument, Func<Measured, bool>? where = null) =>
        Of(instrument).Where(where ?? (_ => true)).Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();
}
