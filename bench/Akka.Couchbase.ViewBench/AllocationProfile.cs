using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Akka.Couchbase.ViewBench;

/// <summary>
/// Which types the timed query's allocations come from: the runtime's GC AllocationTick events (one roughly every
/// 100 KB allocated, naming the type that crossed the line), listened to in-process while <see cref="Measuring"/>.
/// </summary>
internal sealed class AllocationProfile : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytesByType = new();

    public volatile bool Measuring;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!Measuring || e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true) return;
        var type = e.PayloadNames!.IndexOf("TypeName");
        var amount = e.PayloadNames.IndexOf("AllocationAmount64");
        if (type < 0 || amount < 0) return;
        _bytesByType.AddOrUpdate(e.Payload![type] as string ?? "?", Convert.ToInt64(e.Payload[amount]),
            (_, sum) => sum + Convert.ToInt64(e.Payload[amount]));
    }

    /// <summary>Writes the types with the largest share of the samples, with their estimated bytes per row.</summary>
    public void Write(TextWriter o, long rows, int top = 15)
    {
        var total = _bytesByType.Values.Sum();
        if (total == 0 || rows == 0) return;
        o.WriteLine("allocations by type (sampled every ~100 KB; share, bytes/row):");
        foreach (var (type, bytes) in _bytesByType.OrderByDescending(kv => kv.Value).Take(top).Select(kv => (kv.Key, kv.Value)))
            o.WriteLine($"  {100.0 * bytes / total,5:F1}%  {(double)bytes / rows,8:F0} B/row  {type}");
    }
}
