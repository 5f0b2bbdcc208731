using System.Globalization;
using System.Runtime;
using System.Text;
using System.Text.Json;

namespace Akka.Couchbase.Bench;

/// <summary>The figures of one run, merged from every worker, printed for people and (optionally) as one JSON line.</summary>
internal sealed class BenchReport
{
    private readonly BenchOptions _options;
    private readonly LatencyHistogram _latency = new();
    private readonly double _seconds;
    private readonly long _allocatedBytes;
    private readonly TimeSpan _cpu;
    private readonly int[] _collections;
    private readonly long _ops, _commands, _errors, _misses, _lost, _unattributed;
    private readonly string? _firstError;
    private readonly bool _drained;

    public BenchReport(BenchOptions options, IReadOnlyList<WorkerStats> stats, double seconds, long allocatedBytes,
        TimeSpan cpu, int[] collections, bool drained)
    {
        _cpu = cpu;
        _options = options;
        _seconds = seconds;
        _allocatedBytes = allocatedBytes;
        _collections = collections;
        _drained = drained;
        foreach (var s in stats)
        {
            _latency.Add(s.Latency);
            _ops += s.Ops;
            _commands += s.Commands;
            _errors += s.Errors;
            _misses += s.Misses;
            _lost += s.Lost;
            _unattributed += s.Unattributed;
            _firstError ??= s.FirstError;
        }
    }

    public double OpsPerSecond => _ops / _seconds;
    public double CommandsPerSecond => _commands / _seconds;
    /// <summary>Bytes allocated in the whole process during the timed part, per op (key).</summary>
    public double AllocatedBytesPerOp => _ops == 0 ? 0 : (double)_allocatedBytes / _ops;
    public long Errors => _errors + _lost + _unattributed;
    /// <summary>This process's CPU time (user + system, every thread) during the timed part, per op, in µs.</summary>
    public double CpuMicrosPerOp => _ops == 0 ? 0 : _cpu.TotalMicroseconds / _ops;
    /// <summary>Cores this process kept busy during the timed part, on average.</summary>
    public double CpuCores => _cpu.TotalSeconds / _seconds;

    private static double Micros(long nanoseconds) => Math.Round(nanoseconds / 1000.0, 1);

    public void WriteText(TextWriter o)
    {
        var mode = _options.Mode.ToString().ToLowerInvariant();
        o.WriteLine($"mode          {mode}{(_options.Mode is BenchMode.Tell or BenchMode.Flow ? $" ({_options.EffectiveDrivers} {(_options.Mode == BenchMode.Flow ? "stream" : "driver actor")}{(_options.EffectiveDrivers == 1 ? "" : "s")})" : "")}, concurrency {_options.Concurrency}");
        o.WriteLine($"workload      {_options.Keys} keys, {_options.ValueSize}-byte values, set ratio {_options.SetRatio:F2}, " +
                    $"{(_options.MultiGet > 1 ? $"multi-get of {_options.MultiGet} keys" : "single gets")}, " +
                    $"{(_options.Rate > 0 ? $"rate cap {_options.Rate:F0} commands/s" : "no rate cap")}");
        o.WriteLine($"commands      {(_options.SubDoc ? "LookupIn (1 Get spec) / MutateIn (1 Upsert spec), JSON documents" : "Get / Upsert")} " +
                    $"in collection {_options.Collection?.ToString() ?? "(default, none named)"}" +
                    (_options.PooledValues ? ", values pooled (value-pooling on)" : ""));
        o.WriteLine($"timed part    {_seconds:F2} s after {_options.WarmupSeconds:F0} s warmup");
        o.WriteLine($"ops/s         {OpsPerSecond:F0}   ({_ops} ops; a multi-get of K keys counts K)");
        o.WriteLine($"commands/s    {CommandsPerSecond:F0}   ({_commands} commands)");
        o.WriteLine($"latency (µs)  p50 {Micros(_latency.ValueAtPercentile(50))}  p90 {Micros(_latency.ValueAtPercentile(90))}  " +
                    $"p99 {Micros(_latency.ValueAtPercentile(99))}  p99.9 {Micros(_latency.ValueAtPercentile(99.9))}  " +
                    $"max {Micros(_latency.Max)}  mean {_latency.Mean / 1000:F1}");
        o.WriteLine($"alloc/op      {AllocatedBytesPerOp:F0} bytes   (GC gen0/1/2: {_collections[0]}/{_collections[1]}/{_collections[2]}, " +
                    $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC)");
        o.WriteLine($"cpu           {CpuMicrosPerOp:F2} µs/op   ({CpuCores:F2} cores of this process, user + system)");
        o.WriteLine($"errors        {Errors}   (lost replies {_lost}, unattributed {_unattributed}; misses {_misses})" +
                    (_firstError is null ? "" : $"; first: {_firstError}"));
        if (!_drained) o.WriteLine("warning       some commands were still in flight after the run (no reply within their deadline)");
    }

    public string ToJson()
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("mode", _options.Mode.ToString().ToLowerInvariant());
            w.WriteNumber("ops_per_sec", Math.Round(OpsPerSecond, 1));
            w.WriteNumber("p50_us", Micros(_latency.ValueAtPercentile(50)));
            w.WriteNumber("p90_us", Micros(_latency.ValueAtPercentile(90)));
            w.WriteNumber("p99_us", Micros(_latency.ValueAtPercentile(99)));
            w.WriteNumber("alloc_bytes_per_op", Math.Round(AllocatedBytesPerOp, 1));
            w.WriteNumber("errors", Errors);
            w.WriteNumber("commands_per_sec", Math.Round(CommandsPerSecond, 1));
            w.WriteNumber("p999_us", Micros(_latency.ValueAtPercentile(99.9)));
            w.WriteNumber("max_us", Micros(_latency.Max));
            w.WriteNumber("mean_us", Math.Round(_latency.Mean / 1000, 1));
            w.WriteNumber("ops", _ops);
            w.WriteNumber("commands", _commands);
            w.WriteNumber("misses", _misses);
            w.WriteNumber("lost_replies", _lost);
            w.WriteNumber("duration_s", Math.Round(_seconds, 3));
            w.WriteNumber("concurrency", _options.Concurrency);
            if (_options.Mode is BenchMode.Tell or BenchMode.Flow) w.WriteNumber("drivers", _options.EffectiveDrivers);
            w.WriteNumber("value_size", _options.ValueSize);
            w.WriteNumber("set_ratio", _options.SetRatio);
            w.WriteNumber("keys", _options.Keys);
            w.WriteNumber("multi_get", _options.MultiGet);
            w.WriteNumber("rate", _options.Rate);
            if (_options.Collection is { } collection) w.WriteString("collection", collection.ToString());
            else w.WriteNull("collection");
            w.WriteBoolean("subdoc", _options.SubDoc);
            w.WriteBoolean("pooled_values", _options.PooledValues);
            w.WriteNumber("gc_gen0", _collections[0]);
            w.WriteNumber("gc_gen1", _collections[1]);
            w.WriteNumber("gc_gen2", _collections[2]);
            w.WriteNumber("cpu_us_per_op", Math.Round(CpuMicrosPerOp, 3));
            w.WriteNumber("cpu_cores", Math.Round(CpuCores, 3));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
