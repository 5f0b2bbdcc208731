namespace Akka.Couchbase.TestKit;

/// <summary>
/// The cluster's notion of "now", used for document expiry and lock timeouts. It follows the real clock,
/// shifted by whatever tests have added with <see cref="Advance"/>; it never goes backwards.
/// </summary>
public sealed class TestClock
{
    private readonly DateTimeOffset _realStart = DateTimeOffset.UtcNow;
    private readonly DateTimeOffset _start;
    private long _offsetTicks;

    /// <summary>Creates a clock that starts at <paramref name="start"/> (default: now).</summary>
    public TestClock(DateTimeOffset? start = null) => _start = start ?? _realStart;

    /// <summary>The current time of the cluster.</summary>
    public DateTimeOffset UtcNow =>
        _start + (DateTimeOffset.UtcNow - _realStart) + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>The current time as Unix seconds.</summary>
    public long UnixSeconds => UtcNow.ToUnixTimeSeconds();

    /// <summary>The current time as Unix milliseconds.</summary>
    public long UnixMilliseconds => UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Moves the clock forward (time travel): documents and locks whose time has come expire at once.</summary>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "the clock only moves forward");
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
