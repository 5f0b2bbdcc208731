using System.Diagnostics.Metrics;
using Akka.Couchbase.Observability;

namespace Akka.Couchbase.Bench;

/// <summary>
/// <c>--meter-listener</c>: a <see cref="MeterListener"/> on every instrument of the <c>Akka.Couchbase</c> meter for
/// the whole run, as a metrics exporter would be, so that a run shows what collecting the client's metrics costs.
/// Each measurement is added to a per-type total and its attributes are all read (about what an SDK's aggregation does).
/// </summary>
internal sealed class MeterListenerLoad : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _measurements;
    private double _doubles;
    private long _longs;

    public MeterListenerLoad()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == CouchbaseTelemetry.MeterName) listener.EnableMeasurementEvents(instrument, this);
        };
        _listener.SetMeasurementEventCallback<double>(static (instrument, value, tags, state) =>
        {
            var self = (MeterListenerLoad)state!;
            Interlocked.Increment(ref self._measurements);
            InterlockedAdd(ref self._doubles, value);
            self.Read(tags);
        });
        _listener.SetMeasurementEventCallback<long>(static (instrument, value, tags, state) =>
        {
            var self = (MeterListenerLoad)state!;
            Interlocked.Increment(ref self._measurements);
            Interlocked.Add(ref self._longs, value);
            self.Read(tags);
        });
        _listener.SetMeasurementEventCallback<int>(static (_, value, _, state) =>
            Interlocked.Add(ref ((MeterListenerLoad)state!)._longs, value));
        _listener.Start();
    }

    private int _tagHash;

    /// <summary>Looks at every attribute, as an aggregation keyed by them would.</summary>
    private void Read(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = 0;
        foreach (var tag in tags) hash = hash * 31 + tag.Key.Length + (tag.Value?.GetHashCode() ?? 0);
        _tagHash = hash;
    }

    /// <summary>Measurements seen so far.</summary>
    public long Measurements => Interlocked.Read(ref _measurements);

    private static void InterlockedAdd(ref double target, double value)
    {
        double seen, sum;
        do
        {
            seen = Volatile.Read(ref target);
            sum = seen + value;
        } while (Interlocked.CompareExchange(ref target, sum, seen) != seen);
    }

    public void Dispose() => _listener.Dispose();
}
