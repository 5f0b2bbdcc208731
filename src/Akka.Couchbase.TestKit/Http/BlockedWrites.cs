namespace Akka.Couchbase.TestKit.Http;

/// <summary>
/// The writes of a server that found the socket full, as events a test can wait for: "the writer is blocked on a
/// peer that does not read" is then decided from the server itself instead of from a pause without progress.
/// Thread-safe.
/// </summary>
public sealed class BlockedWrites
{
    private readonly object _sync = new();
    private long _count;
    private BlockedWrite? _latest;
    private TaskCompletionSource<BlockedWrite> _next = NewWaiter();

    /// <summary>How many writes have blocked so far.</summary>
    public long Count
    {
        get { lock (_sync) return _count; }
    }

    /// <summary>The most recent write that blocked and still waits for the peer, or null.</summary>
    public BlockedWrite? Current
    {
        get
        {
            lock (_sync) return _latest is { IsBlocked: true } latest ? latest : null;
        }
    }

    /// <summary>Completes with the next write that blocks after this call.</summary>
    public Task<BlockedWrite> NextAsync()
    {
        lock (_sync) return _next.Task;
    }

    /// <summary>
    /// Completes with the write that is blocked now (<see cref="Current"/>) when it came after the first
    /// <paramref name="after"/> (a <see cref="Count"/> read earlier, e.g. before a request was sent), or else with the
    /// next one that blocks.
    /// </summary>
    public Task<BlockedWrite> CurrentOrNextAsync(long after = 0)
    {
        lock (_sync)
            return _latest is { IsBlocked: true } latest && latest.Sequence > after ? Task.FromResult(latest) : _next.Task;
    }

    /// <summary>
    /// Reports <paramref name="write"/> as blocked when it has not completed yet, and returns it either way (the
    /// caller awaits what it would have awaited).
    /// </summary>
    internal Task Observe(Task write, long progress)
    {
        if (write.IsCompleted) return write;
        TaskCompletionSource<BlockedWrite> waiter;
        BlockedWrite blocked;
        lock (_sync)
        {
            blocked = new BlockedWrite(++_count, progress, write.ContinueWith(static _ => { },
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
            _latest = blocked;
            waiter = _next;
            _next = NewWaiter();
        }
        waiter.TrySetResult(blocked);
        return write;
    }

    private static TaskCompletionSource<BlockedWrite> NewWaiter() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
