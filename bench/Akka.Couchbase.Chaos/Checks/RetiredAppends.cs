using System.Diagnostics;
using Akka.Couchbase.Chaos.Ledger;
using Akka.Couchbase.Chaos.Load;
using Akka.Couchbase.TestKit.Cluster;

namespace Akka.Couchbase.Chaos.Checks;

/// <summary>
/// Keeps a long run's memory flat: an append key its owner is done with (full, every command answered, and no reply
/// for a while longer than any reply may take) is checked against what the cluster stores, then its document is
/// emptied and its book dropped, leaving only the tally. The append keys still in use at the end are read back
/// through the client by <see cref="ReadBack"/>, after the heal.
/// </summary>
internal sealed class RetiredAppends : IAsyncDisposable
{
    private readonly IReadOnlyList<Owner> _owners;
    private readonly InProcessBucket _bucket;
    private readonly Violations _violations;
    private readonly long _quietTicks;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly object _sync = new();

    public RetiredAppends(IEnumerable<Owner> owners, InProcessBucket bucket, Violations violations, TimeSpan quiet)
    {
        _owners = owners.ToList();
        _bucket = bucket;
        _violations = violations;
        _quietTicks = (long)(quiet.TotalSeconds * Stopwatch.Frequency);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Append keys checked so far, and their appends acknowledged, not applied and unknown.</summary>
    public (int Keys, long Acked, long NotApplied, long Unknown) Tally
    {
        get { lock (_sync) return (_keys, _acked, _notApplied, _unknown); }
    }

    private int _keys;
    private long _acked, _notApplied, _unknown;

    private async Task LoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(1000, _stop.Token).ConfigureAwait(false);
                try
                {
                    CheckDue();
                }
                catch (Exception e)
                {
                    _violations.Add(ViolationKind.HarnessError, $"checking full append keys: {e}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void CheckDue()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var owner in _owners)
        {
            List<AppendBook> due;
            lock (owner.Sync)
            {
                due = owner.AllAppends.Where(b => b.Full && b.Replies == b.SentCount && now - b.LastReplyTicks > _quietTicks).ToList();
                if (due.Count == 0) continue;
                owner.AllAppends.RemoveAll(due.Contains);
            }
            foreach (var book in due)
            {
                book.CheckFinal(_bucket.Get(book.Key)?.Value, _violations);
                _bucket.Upsert(book.Key, ReadOnlySpan<byte>.Empty);
                var (acked, no, unknown) = book.Tally();
                lock (_sync)
                {
                    _keys++;
                    _acked += acked;
                    _notApplied += no;
                    _unknown += unknown;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
