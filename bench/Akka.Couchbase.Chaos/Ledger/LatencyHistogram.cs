using System.Diagnostics;

namespace Akka.Couchbase.Chaos.Ledger;

/// <summary>Reply latencies in log-linear buckets (8 per power of two of microseconds): percentiles within 10%.</summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 8;
    private readonly long[] _counts = new long[64 * SubBuckets];
    private long _maxTicks;

    public long Count { get; private set; }

    public void Record(long ticks)
    {
        if (ticks < 0) ticks = 0;
        var micros = (ulong)(ticks * 1_000_000 / Stopwatch.Frequency);
        _counts[Bucket(micros)]++;
        Count++;
        if (ticks > _maxTicks) _maxTicks = ticks;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count += other.Count;
        _maxTicks = Math.Max(_maxTicks, other._maxTicks);
    }

    public double MaxMilliseconds => _maxTicks * 1000.0 / Stopwatch.Frequency;

    /// <summary>The latency under which <paramref name="fraction"/> of the replies came, in milliseconds.</summary>
    public double PercentileMilliseconds(double fraction)
    {
        if (Count == 0) return 0;
        var target = (long)Math.Ceiling(Count * fraction);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= target) return UpperMicros(i) / 1000.0;
        }
        return MaxMilliseconds;
    }

    private static int Bucket(ulong micros)
    {
        if (micros < SubBuckets) return (int)micros;
        var power = 63 - System.Numerics.BitOperations.LeadingZeroCount(micros); // >= 3
        var sub = (int)(micros >> (power - 3)) & (SubBuckets - 1);
        return Math.Min((power - 2) * SubBuckets + sub, 64 * SubBuckets - 1);
    }

    private static double UpperMicros(int bucket)
    {
        if (bucket < SubBuckets) return bucket + 1;
        var power = bucket / SubBuckets + 2;
        var sub = bucket % SubBuckets;
        return (double)(SubBuckets + sub + 1) * (1UL << (power - 3));
    }
}
