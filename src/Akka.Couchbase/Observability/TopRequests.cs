namespace Akka.Couchbase.Observability;

/// <summary>
/// The slowest entries seen since the last <see cref="Drain"/>, at most a fixed number of them, and how many were
/// offered in all. Offered from any thread (only operations over their threshold are, so the lock is rarely taken).
/// </summary>
internal sealed class TopRequests
{
    private readonly int _capacity;
    private readonly List<ReportEntry> _top;
    private long _count;

    public TopRequests(int capacity)
    {
        _capacity = capacity;
        _top = new List<ReportEntry>(capacity + 1);
    }

    public void Offer(ReportEntry entry)
    {
        lock (_top)
        {
            _count++;
            if (_top.Count == _capacity && _top[^1].TotalMicros >= entry.TotalMicros) return;
            var at = _top.FindIndex(e => e.TotalMicros < entry.TotalMicros);
            _top.Insert(at < 0 ? _top.Count : at, entry);
            if (_top.Count > _capacity) _top.RemoveAt(_top.Count - 1);
        }
    }

    /// <summary>What was kept (slowest first) and the count, and starts over; null when nothing was offered.</summary>
    public (long Count, IReadOnlyList<ReportEntry> Top)? Drain()
    {
        lock (_top)
        {
            if (_count == 0) return null;
            var result = (_count, (IReadOnlyList<ReportEntry>)_top.ToArray());
            _top.Clear();
            _count = 0;
            return result;
        }
    }
}
