using Akka.Actor;

namespace Akka.Couchbase.Bench.Drivers;

/// <summary>Ask on the supervisor: <c>await supervisor.Ask&lt;GetResult&gt;(new Kv.Get(key), timeout)</c>.</summary>
internal sealed class AskLoad : LoopLoad
{
    private readonly IActorRef _supervisor;
    private readonly TimeSpan _timeout;

    /// <param name="timeout">The Ask timeout: longer than the client's own deadline, so the client's reply decides.</param>
    public AskLoad(IActorRef supervisor, Workload workload, BenchOptions options, RateLimiter? limiter, TimeSpan timeout)
        : base(workload, options, limiter)
    {
        _supervisor = supervisor;
        _timeout = timeout;
    }

    protected override async Task<bool> GetAsync(string key)
    {
        var result = await _supervisor.Ask<GetResult>(new Kv.Get(key), _timeout).ConfigureAwait(false);
        return result.Outcome == KvOutcome.NotFound;
    }

    protected override async Task<int> GetMultiAsync(string[] keys)
    {
        var result = await _supervisor.Ask<MultiResult<GetResult>>(new Kv.GetMulti(keys), _timeout).ConfigureAwait(false);
        return result.Failures.Count;
    }

    protected override Task SetAsync(string key, byte[] value) =>
        _supervisor.Ask<MutationResult>(new Kv.Upsert(key, value), _timeout);
}
