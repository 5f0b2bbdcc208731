namespace Akka.Couchbase.TestKit.Views;

/// <summary>
/// Fault injection for view responses. Settable at any time from any thread; a query reads the values as
/// it streams.
/// </summary>
public sealed class ViewFaults
{
    private long _rowDelayTicks;
    private int _failAfterRows = -1;

    /// <summary>Delay awaited before each chunk of rows is sent (slows a view stream). Zero for none.</summary>
    public TimeSpan RowDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _rowDelayTicks));
        set => Interlocked.Exchange(ref _rowDelayTicks, Math.Max(0, value.Ticks));
    }

    /// <summary>
    /// When set, each view query response is cut (connection reset) once this many rows were sent.
    /// Null for none.
    /// </summary>
    public int? FailAfterRows
    {
        get
        {
            var v = Volatile.Read(ref _failAfterRows);
            return v < 0 ? null : v;
        }
        set => Volatile.Write(ref _failAfterRows, value is { } n ? Math.Max(0, n) : -1);
    }

    /// <summary>Clears every fault.</summary>
    public void Reset()
    {
        RowDelay = TimeSpan.Zero;
        FailAfterRows = null;
    }
}
