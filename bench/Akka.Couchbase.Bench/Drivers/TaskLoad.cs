namespace Akka.Couchbase.Bench.Drivers;

/// <summary>The Task facade: <c>await client.GetAsync(key)</c>, <c>UpsertAsync(key, bytes)</c>, <c>GetMultiAsync(keys)</c>.</summary>
internal sealed class TaskLoad : LoopLoad
{
    private readonly CouchbaseClient _client;

    public TaskLoad(CouchbaseClient client, Workload workload, BenchOptions options, RateLimiter? limiter)
        : base(workload, options, limiter) => _client = client;

    protected override async Task<bool> GetAsync(string key)
    {
        var result = await _client.GetAsync(key).ConfigureAwait(false);
        return result.Outcome == KvOutcome.NotFound;
    }

    protected override async Task<int> GetMultiAsync(string[] keys)
    {
        var result = await _client.GetMultiAsync(keys).ConfigureAwait(false);
        return result.Failures.Count;
    }

    protected override Task SetAsync(string key, byte[] value) => _client.UpsertAsync(key, value);
}
