namespace Akka.Couchbase.TestKit.Views;

/// <summary>
/// Fault injection for view queries. Settable at any time from any thread; a query reads the values as it
/// streams.
/// </summary>
public sealed class ViewFaults
{
    private long _rowDelayTicks;
    private int _failAfterRows = -1;
    private int _stallAfterRows = -1;
    private TaskCompletionSource _stallReleased = NewRelease();
    private InjectedError? _error;

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

    /// <summary>
    /// When set, each view query response stops once this many rows were sent (0: right after the headers and the
    /// members before the rows), keeping the connection open, until the fault is cleared (set to null, or
    /// <see cref="Reset"/>): a server that stalls mid-response. The response then goes on to its end, if the client
    /// is still there. Null for none.
    /// </summary>
    public int? StallAfterRows
    {
        get
        {
            var v = Volatile.Read(ref _stallAfterRows);
            return v < 0 ? null : v;
        }
        set
        {
            Volatile.Write(ref _stallAfterRows, value is { } n ? Math.Max(0, n) : -1);
            if (value is null) Interlocked.Exchange(ref _stallReleased, NewRelease()).TrySetResult();
        }
    }

    /// <summary>Completes when the current stall is cleared. Taken before <see cref="StallAfterRows"/> is read.</summary>
    internal Task StallReleased => Volatile.Read(ref _stallReleased).Task;

    /// <summary>How many more view queries will be answered with the injected error.</summary>
    public int PendingErrors => Volatile.Read(ref _error)?.Remaining ?? 0;

    /// <summary>
    /// Answers the next <paramref name="count"/> view queries (not design document requests) with
    /// <paramref name="status"/> and <c>{"error":error,"reason":reason}</c> instead of rows. A 503 carries
    /// <c>Retry-After: 1</c>, like a server over its request limit. Replaces any earlier injection.
    /// </summary>
    public void FailNextQueries(int count, int status = 503, string error = "service_unavailable",
        string reason = "injected view fault")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (status is < 100 or > 599) throw new ArgumentOutOfRangeException(nameof(status));
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(reason);
        Volatile.Write(ref _error, count == 0 ? null : new InjectedError(count, status, error, reason));
    }

    /// <summary>Clears every fault.</summary>
    public void Reset()
    {
        RowDelay = TimeSpan.Zero;
        FailAfterRows = null;
        StallAfterRows = null;
        Volatile.Write(ref _error, null);
    }

    /// <summary>Takes one injected error if any are pending.</summary>
    internal bool TryTakeError(out int status, out string error, out string reason)
    {
        var injected = Volatile.Read(ref _error);
        if (injected != null && injected.TryTake())
        {
            status = injected.Status;
            error = injected.Error;
            reason = injected.Reason;
            return true;
        }
        status = 0;
        error = reason = "";
        return false;
    }

    private static TaskCompletionSource NewRelease() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class InjectedError(int count, int status, string error, string reason)
    {
        private int _remaining = count;

        public int Status { get; } = status;
        public string Error { get; } = error;
        public string Reason { get; } = reason;
        public int Remaining => Math.Max(0, Volatile.Read(ref _remaining));

        public bool TryTake() => Interlocked.Decrement(ref _remaining) >= 0;
    }
}
