using Akka.Actor;

namespace Akka.Couchbase.Bench.Drivers;

/// <summary>
/// Ask on the supervisor: <c>await supervisor.Ask&lt;GetResult&gt;(new Kv.Get(key), timeout)</c> (the commands of
/// <see cref="WorkloadCommands"/>: with the run's collection, plain or sub-document).
/// </summary>
internal sealed class AskLoad : LoopLoad
{
    private readonly IActorRef _supervisor;
    private readonly WorkloadCommands _commands;
    private readonly TimeSpan _timeout;

    /// <param name="timeout">The Ask timeout: longer than the client's own deadline, so the client's reply decides.</param>
    public AskLoad(IActorRef supervisor, Workload workload, BenchOptions options, RateLimiter? limiter, TimeSpan timeout)
        : base(workload, options, limiter)
    {
        _supervisor = supervisor;
        _commands = workload.Commands;
        _timeout = timeout;
    }

    protected override async Task<bool> GetAsync(string key)
    {
        var result = await _supervisor.Ask<KvResult>(_commands.Read(key, null), _timeout).ConfigureAwait(false);
        ResultRelease.Release(result);
        return ReplyCheck.IsMiss(ReplyCheck.Checked(result));
    }

    protected override async Task<int> GetMultiAsync(string[] keys)
    {
        var result = await _supervisor.Ask<MultiResult<GetResult>>(_commands.ReadMany(keys, null), _timeout).ConfigureAwait(false);
        ResultRelease.Release(result);
        return result.Failures.Count;
    }

    protected override Task SetAsync(string key, byte[] value) => _commands.MutateSpecs is null
        ? _supervisor.Ask<MutationResult>(_commands.Write(key, null), _timeout)
        : MutateInAsync(key);

    private async Task MutateInAsync(string key) =>
        ReplyCheck.Checked(await _supervisor.Ask<MutateInResult>(_commands.Write(key, null), _timeout).ConfigureAwait(false));
}
