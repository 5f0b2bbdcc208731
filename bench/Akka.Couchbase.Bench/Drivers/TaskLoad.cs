namespace Akka.Couchbase.Bench.Drivers;

/// <summary>
/// The Task facade on a collection handle: <c>client.DefaultCollection</c>, or <c>client.Collection(scope, name)</c>
/// with <c>--collection</c>; then <c>GetAsync(key)</c>, <c>UpsertAsync(key, bytes)</c>, <c>GetMultiAsync(keys)</c>, or
/// with <c>--subdoc</c> <c>LookupInAsync(key, specs)</c> and <c>MutateInAsync(key, specs)</c>.
/// </summary>
internal sealed class TaskLoad : LoopLoad
{
    private static readonly MutateInOptions WriteOptions = new() { StoreSemantics = WorkloadCommands.WriteSemantics };

    private readonly CouchbaseCollection _collection;
    private readonly WorkloadCommands _commands;

    public TaskLoad(CouchbaseClient client, Workload workload, BenchOptions options, RateLimiter? limiter)
        : base(workload, options, limiter)
    {
        _collection = options.Collection is { } c ? client.Collection(c.Scope, c.Name) : client.DefaultCollection;
        _commands = workload.Commands;
    }

    protected override async Task<bool> GetAsync(string key)
    {
        KvResult result = _commands.LookupSpecs is { } specs
            ? ReplyCheck.Checked(await _collection.LookupInAsync(key, specs).ConfigureAwait(false))
            : await _collection.GetAsync(key).ConfigureAwait(false);
        ResultRelease.Release(result);
        return ReplyCheck.IsMiss(result);
    }

    protected override Task<GetResult>? GetResultAsync(string key) =>
        _commands.LookupSpecs is null ? _collection.GetAsync(key) : null;

    protected override async Task<int> GetMultiAsync(string[] keys)
    {
        var result = await _collection.GetMultiAsync(keys).ConfigureAwait(false);
        ResultRelease.Release(result);
        return result.Failures.Count;
    }

    protected override Task SetAsync(string key, byte[] value) => _commands.MutateSpecs is { } specs
        ? MutateInAsync(key, specs)
        : _collection.UpsertAsync(key, value);

    private async Task MutateInAsync(string key, IReadOnlyList<MutateInSpec> specs) =>
        ReplyCheck.Checked(await _collection.MutateInAsync(key, specs, WriteOptions).ConfigureAwait(false));
}
