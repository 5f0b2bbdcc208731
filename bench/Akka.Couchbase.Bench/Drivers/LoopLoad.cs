using System.Diagnostics;

namespace Akka.Couchbase.Bench.Drivers;

/// <summary>
/// The convenient paths: one async loop per unit of concurrency, each awaiting one command at a time. Subclasses
/// say how a command is sent (Ask on the supervisor, or the Task facade).
/// </summary>
internal abstract class LoopLoad : ILoadDriver
{
    private readonly Workload _workload;
    private readonly RateLimiter? _limiter;
    private readonly WorkerStats[] _stats;
    private readonly List<Task> _loops = new();

    protected LoopLoad(Workload workload, BenchOptions options, RateLimiter? limiter)
    {
        _workload = workload;
        _limiter = limiter;
        _stats = Enumerable.Range(0, options.Concurrency).Select(_ => new WorkerStats()).ToArray();
    }

    public IReadOnlyList<WorkerStats> Stats => _stats;

    public void Start()
    {
        for (var i = 0; i < _stats.Length; i++)
        {
            var stats = _stats[i];
            var seed = (ulong)(i + 1) * 0x9E3779B97F4A7C15UL;
            _loops.Add(Task.Run(() => LoopAsync(stats, seed)));
        }
    }

    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        try
        {
            await Task.WhenAll(_loops).WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Reads one key; returns whether it was a miss.</summary>
    protected abstract Task<bool> GetAsync(string key);

    /// <summary>
    /// Reads one key through a call that returns the result's own task, or null where there is none. The loop
    /// awaits it directly, as a caller's loop would, so that no async method of the tool's wraps each call (its
    /// state machine would be one more allocation per operation, charged to the client).
    /// </summary>
    protected virtual Task<GetResult>? GetResultAsync(string key) => null;

    /// <summary>Reads many keys; returns how many keys failed.</summary>
    protected abstract Task<int> GetMultiAsync(string[] keys);

    /// <summary>Stores one value.</summary>
    protected abstract Task SetAsync(string key, byte[] value);

    private async Task LoopAsync(WorkerStats stats, ulong seed)
    {
        var random = new FastRandom(seed);
        // Reused by every multi-get of this loop: the client reads the list when it admits the command,
        // and the next command only starts after the reply.
        var multiKeys = _workload.MultiGet > 1 ? new string[_workload.MultiGet] : null;
        while (RunClock.CurrentPhase != Phase.Stop)
        {
            if (_limiter is not null)
            {
                var wait = _limiter.Reserve();
                if (wait > RateLimiter.MinimumWaitTicks)
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency)).ConfigureAwait(false);
                if (RunClock.CurrentPhase == Phase.Stop) break;
            }
            var isSet = _workload.NextIsSet(ref random);
            string? key = null;
            if (isSet || multiKeys is null) key = _workload.NextKey(ref random);
            else _workload.NextKeys(ref random, multiKeys);
            var start = Stopwatch.GetTimestamp();
            try
            {
                if (isSet)
                {
                    await SetAsync(key!, _workload.Value).ConfigureAwait(false);
                    stats.Completed(start, 1, 0, false);
                }
                else if (multiKeys is not null)
                {
                    var failed = await GetMultiAsync(multiKeys).ConfigureAwait(false);
                    stats.Completed(start, multiKeys.Length, failed, false);
                }
                else if (GetResultAsync(key!) is { } direct)
                {
                    var result = await direct.ConfigureAwait(false);
                    result.Dispose(); // with --pooled-values, its array goes back to the pool
                    stats.Completed(start, 1, 0, ReplyCheck.IsMiss(result));
                }
                else
                {
                    var miss = await GetAsync(key!).ConfigureAwait(false);
                    stats.Completed(start, 1, 0, miss);
                }
            }
            catch (Exception e)
            {
                stats.Failed(start, e);
            }
        }
    }
}
