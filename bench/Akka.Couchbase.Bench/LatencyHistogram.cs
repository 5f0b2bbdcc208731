using System.Numerics;

namespace Akka.Couchbase.Bench;

/// <summary>
/// An HDR-style latency histogram in nanoseconds: log-linear buckets (every power of two split into 128 linear
/// sub-buckets, so any recorded value is known to within 1/128 = 0.8%; values below 256 ns are exact), one fixed
/// array of counters, no allocation per record. Not thread-safe: each worker owns one, and they are merged at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const int LinearLimit = SubBucketCount << 1;
    // Values up to 2^63: the highest bit can be 62, i.e. shifts 1..55 above the linear part.
    private const int BucketCount = LinearLimit + (63 - SubBucketBits - 1) * SubBucketCount;

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>Values recorded.</summary>
    public long Count { get; private set; }
    /// <summary>Largest value recorded, exactly.</summary>
    public long Max { get; private set; }
    /// <summary>Sum of values recorded (for the mean).</summary>
    public double Sum { get; private set; }

    /// <summary>Records one latency; negative values count as 0.</summary>
    public void Record(long nanoseconds)
    {
        if (nanoseconds < 0) nanoseconds = 0;
        _counts[IndexOf(nanoseconds)]++;
        Count++;
        Sum += nanoseconds;
        if (nanoseconds > Max) Max = nanoseconds;
    }

    /// <summary>Adds every count of <paramref name="other"/> to this one.</summary>
    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < BucketCount; i++) _counts[i] += other._counts[i];
        Count += other.Count;
        Sum += other.Sum;
        if (other.Max > Max) Max = other.Max;
    }

    /// <summary>
    /// The value at <paramref name="percentile"/> (0..100): the highest value equivalent to the bucket holding the
    /// ceil(p * count)-th smallest value (as HdrHistogram reports it), never above <see cref="Max"/>. 0 when empty.
    /// </summary>
    public long ValueAtPercentile(double percentile)
    {
        if (Count == 0) return 0;
        var target = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * Count));
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= target) return Math.Min(HighestEquivalent(i), Max);
        }
        return Max;
    }

    /// <summary>Mean of the values recorded, 0 when empty.</summary>
    public double Mean => Count == 0 ? 0 : Sum / Count;

    internal static int IndexOf(long value)
    {
        if (value < LinearLimit) return (int)value;
        var highestBit = 63 - BitOperations.LeadingZeroCount((ulong)value);
        var shift = highestBit - SubBucketBits; // >= 1
        var mantissa = (int)(value >> shift);   // SubBucketCount .. 2 * SubBucketCount - 1
        return LinearLimit + (shift - 1) * SubBucketCount + (mantissa - SubBucketCount);
    }

    internal static long LowestEquivalent(int index)
    {
        if (index < LinearLimit) return index;
        var shift = (index - LinearLimit) / SubBucketCount + 1;
        long mantissa = (index - LinearLimit) % SubBucketCount + SubBucketCount;
        return mantissa << shift;
    }

    internal static long HighestEquivalent(int index) =>
        index < LinearLimit ? index : LowestEquivalent(index) + (1L << ((index - LinearLimit) / SubBucketCount + 1)) - 1;
}
