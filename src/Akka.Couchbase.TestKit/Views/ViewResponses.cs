namespace Akka.Couchbase.TestKit.Views;

/// <summary>
/// The ends of view query responses (rows of a map or reduce query; not errors answered before any row), as
/// events a test can wait for: "the server stopped producing for a client that went away" is then decided from the
/// server itself, with the rows it produced for that response. Thread-safe.
/// </summary>
public sealed class ViewResponses
{
    private readonly object _sync = new();
    private readonly List<ViewResponseEnd> _ended = new();
    private readonly List<(long After, TaskCompletionSource<ViewResponseEnd> Waiter)> _waiters = new();

    internal ViewResponses()
    {
    }

    /// <summary>How many responses have ended so far.</summary>
    public long Count
    {
        get { lock (_sync) return _ended.Count; }
    }

    /// <summary>Every response that ended so far, oldest first.</summary>
    public IReadOnlyList<ViewResponseEnd> Ended
    {
        get { lock (_sync) return _ended.ToArray(); }
    }

    /// <summary>
    /// Completes with the first response that ended after the first <paramref name="after"/> (a <see cref="Count"/>
    /// read earlier, e.g. before a query was sent): one that already ended, or the next one to end.
    /// </summary>
    public Task<ViewResponseEnd> NextAsync(long after = 0)
    {
        lock (_sync)
        {
            if (after < _ended.Count) return Task.FromResult(_ended[(int)after]);
            var waiter = new TaskCompletionSource<ViewResponseEnd>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((after, waiter));
            return waiter.Task;
        }
    }

    internal void Record(string bucket, string designDocument, string view, long rows, ViewResponseOutcome outcome)
    {
        List<TaskCompletionSource<ViewResponseEnd>> ready = new();
        ViewResponseEnd end;
        lock (_sync)
        {
            end = new ViewResponseEnd(_ended.Count + 1, bucket, designDocument, view, rows, outcome);
            _ended.Add(end);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].After >= _ended.Count) continue;
                ready.Add(_waiters[i].Waiter);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var waiter in ready) waiter.TrySetResult(end);
    }
}
