using System.Diagnostics;

namespace Akka.Couchbase.ViewBench;

/// <summary>The process's resident memory and managed heap, relative to a baseline taken at creation.</summary>
internal sealed class MemorySampler
{
    private readonly long _baseRss;
    private readonly long _baseManaged;

    public MemorySampler()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        _baseRss = Rss();
        _baseManaged = GC.GetTotalMemory(forceFullCollection: false);
        _baseGen0 = GC.CollectionCount(0);
    }

    private readonly int _baseGen0;

    /// <summary>Gen0 collections since the baseline (the forced one of <see cref="LiveGrowth"/> included).</summary>
    public int Gen0Collections => GC.CollectionCount(0) - _baseGen0;

    public long MaxRssGrowth { get; private set; }
    public long MaxManagedGrowth { get; private set; }
    public long BaseRss => _baseRss;

    /// <summary>Takes one sample; returns (RSS growth, managed growth) in bytes.</summary>
    public (long Rss, long Managed) Sample()
    {
        var rss = Rss() - _baseRss;
        var managed = GC.GetTotalMemory(forceFullCollection: false) - _baseManaged;
        MaxRssGrowth = Math.Max(MaxRssGrowth, rss);
        MaxManagedGrowth = Math.Max(MaxManagedGrowth, managed);
        return (rss, managed);
    }

    /// <summary>The managed heap's growth over the baseline after a full collection: memory held, not garbage.</summary>
    public long LiveGrowth() => GC.GetTotalMemory(forceFullCollection: true) - _baseManaged;

    private static long Rss()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }
}
