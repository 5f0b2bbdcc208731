using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Akka.Couchbase.Bench;

/// <summary>
/// Where the allocations come from, by type: listens in-process to the runtime's GC AllocationTick events (one
/// event roughly every 100 KB allocated, naming the type of the object that crossed the line), so a type's share
/// of the events estimates its share of the bytes. Counts only while the run is in <see cref="Phase.Measure"/>.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytesByType = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (RunClock.CurrentPhase != Phase.Measure || !e.EventName!.StartsWith("GCAllocationTick", StringComparison.Ordinal)) return;
        var index = e.PayloadNames!.IndexOf("TypeName");
        var amountIndex = e.PayloadNames.IndexOf("AllocationAmount64");
        if (index < 0 || amountIndex < 0) return;
        var type = e.Payload![index] as string ?? "?";
        var amount = Convert.ToInt64(e.Payload[amountIndex]);
        _bytesByType.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }

    /// <summary>Writes the types with the largest estimated share, with bytes per op.</summary>
    public void Write(TextWriter o, long ops, int top = 12)
    {
        var total = _bytesByType.Values.Sum();
        if (total == 0 || ops == 0) return;
        o.WriteLine("allocations by type (sampled every ~100 KB during the timed part; share of the samples, bytes/op):");
        foreach (var (type, bytes) in _bytesByType.OrderByDescending(kv => kv.Value).Take(top).Select(kv => (kv.Key, kv.Value)))
            o.WriteLine($"  {100.0 * bytes / total,5:F1}%  {(double)bytes / ops,8:F0} B/op  {type}");
    }
}
