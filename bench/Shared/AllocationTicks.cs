using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Akka.Couchbase.CommandLine;

/// <summary>
/// Where a bench tool's allocations come from, by type (linked into each tool): listens in-process to the runtime's
/// GC AllocationTick events (one roughly every 100 KB allocated, naming the type of the object that crossed the
/// line), so a type's share of the events estimates its share of the bytes. Counts only while its predicate says so
/// (the timed part).
/// </summary>
internal sealed class AllocationTicks : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytesByType = new();
    private readonly Func<bool> _counting;

    /// <param name="counting">True while events are to be counted.</param>
    public AllocationTicks(Func<bool> counting) => _counting = counting;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        // Events may come before the constructor's body ran (the base constructor enables the runtime's source).
        if (_counting?.Invoke() != true || e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true) return;
        var type = e.PayloadNames!.IndexOf("TypeName");
        var amount = e.PayloadNames.IndexOf("AllocationAmount64");
        if (type < 0 || amount < 0) return;
        var bytes = Convert.ToInt64(e.Payload![amount]);
        _bytesByType.AddOrUpdate(e.Payload[type] as string ?? "?", bytes, (_, sum) => sum + bytes);
    }

    /// <summary>Writes the types with the largest estimated share, with bytes per <paramref name="unit"/>.</summary>
    public void Write(TextWriter o, long units, string unit, int top = 12)
    {
        var total = _bytesByType.Values.Sum();
        if (total == 0 || units == 0) return;
        o.WriteLine($"allocations by type (sampled every ~100 KB during the timed part; share of the samples, bytes/{unit}):");
        foreach (var (type, bytes) in _bytesByType.OrderByDescending(kv => kv.Value).Take(top).Select(kv => (kv.Key, kv.Value)))
            o.WriteLine($"  {100.0 * bytes / total,5:F1}%  {(double)bytes / units,8:F0} B/{unit}  {type}");
    }
}
