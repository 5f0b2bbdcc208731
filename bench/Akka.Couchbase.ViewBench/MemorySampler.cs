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
    }

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

    private static long Rss()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }
}
