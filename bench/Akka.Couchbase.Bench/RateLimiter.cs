using System.Diagnostics;

namespace Akka.Couchbase.Bench;

/// <summary>
/// A token bucket for the whole run, shared by every worker, lock-free. It is kept as the time the next token
/// becomes free (the GCRA form of a token bucket): <see cref="Reserve"/> takes the next token and says how long
/// to wait before using it. The bucket holds at most <c>burst</c> tokens, so an idle spell is not followed by
/// an unbounded burst.
/// </summary>
internal sealed class RateLimiter
{
    private readonly long _interval;
    private readonly long _burstTicks;
    private long _nextFree;

    public RateLimiter(double perSecond, int burst)
    {
        _interval = Math.Max(1, (long)(Stopwatch.Frequency / perSecond));
        _burstTicks = _interval * Math.Max(1, burst);
        _nextFree = Stopwatch.GetTimestamp();
    }

    /// <summary>Takes one token; returns the Stopwatch ticks to wait before sending (0 = send now).</summary>
    public long Reserve()
    {
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            var current = Volatile.Read(ref _nextFree);
            var slot = Math.Max(current, now - _burstTicks);
            if (Interlocked.CompareExchange(ref _nextFree, slot + _interval, current) == current)
                return Math.Max(0, slot - now);
        }
    }

    /// <summary>Waits shorter than this are not worth a timer: the command goes now (the schedule is unchanged).</summary>
    public static readonly long MinimumWaitTicks = Stopwatch.Frequency / 5000; // 200 µs
}
