namespace Akka.Couchbase;

/// <summary>
/// One method per <see cref="Kv"/> command. The document methods work on the client's default collection
/// (<see cref="DefaultCollection"/>); <see cref="Collection"/> gives the same methods for any other.
/// </summary>
public sealed partial class CouchbaseClient
{
    private CouchbaseCollection? _defaultCollection;

    private CouchbaseCollection Default => _defaultCollection ??= new CouchbaseCollection(this, null, null);

    /// <summary>The documents of the client's default collection (<c>akka.couchbase.default-scope</c> / <c>default-collection</c>).</summary>
    public CouchbaseCollection DefaultCollection => Default;

    /// <summary>
    /// The documents of collection <paramref name="scope"/>.<paramref name="name"/> (Couchbase Server 7.0 and later): a
    /// light handle with the same document methods as the client. Names are checked when a command is sent.
    /// </summary>
    public CouchbaseCollection Collection(string scope, string name)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(name);
        return new CouchbaseCollection(this, scope, name);
    }

    /// <summary>Reads a document. A miss is a result with <see cref="KvOutcome.NotFound"/>.</summary>
    public Task<GetResult> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Default.GetAsync(key, cancellationToken);

    /// <summary>Reads a document's value as <typeparamref name="T"/>; throws <see cref="KeyNotFoundException"/> on a miss.</summary>
    public Task<T> GetAsync<T>(string key, CancellationToken cancellationToken = default) =>
        Default.GetAsync<T>(key, cancellationToken);

    /// <summary>Reads a document's value as <typeparamref name="T"/>, or <c>(false, default)</c> on a miss.</summary>
    public Task<(bool Found, T? Value)> TryGetAsync<T>(string key, CancellationToken cancellationToken = default) =>
        Default.TryGetAsync<T>(key, cancellationToken);

    /// <summary>Where each copy of a document stands (the original's <c>observe</c>); see <see cref="Kv.Observe"/>.</summary>
    public Task<ObserveResult> ObserveAsync(string key, CancellationToken cancellationToken = default) =>
        Default.ObserveAsync(key, cancellationToken);

    /// <summary>Reads replica <paramref name="replica"/> of a document (the original's <c>rget</c>); see <see cref="Kv.GetReplica"/>.</summary>
    public Task<GetResult> GetReplicaAsync(string key, int replica = 1, CancellationToken cancellationToken = default) =>
        Default.GetReplicaAsync(key, replica, cancellationToken);

    /// <summary>Reads a document and sets its expiry.</summary>
    public Task<GetResult> GetAndTouchAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default) =>
        Default.GetAndTouchAsync(key, expiry, cancellationToken);

    /// <summary>Reads and locks a document; the result's CAS unlocks it.</summary>
    public Task<GetResult> GetAndLockAsync(string key, TimeSpan lockTime, CancellationToken cancellationToken = default) =>
        Default.GetAndLockAsync(key, lockTime, cancellationToken);

    /// <summary>Unlocks a document locked with <see cref="GetAndLockAsync"/>.</summary>
    public Task<MutationResult> UnlockAsync(string key, ulong cas, CancellationToken cancellationToken = default) =>
        Default.UnlockAsync(key, cas, cancellationToken);

    /// <summary>Sets a document's expiry.</summary>
    public Task<MutationResult> TouchAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default) =>
        Default.TouchAsync(key, expiry, cancellationToken);

    /// <summary>Stores a document (the original's <c>set</c>).</summary>
    public Task<MutationResult> UpsertAsync<T>(string key, T value, TimeSpan expiry = default, ulong cas = 0,
        CancellationToken cancellationToken = default) =>
        Default.UpsertAsync<T>(key, value, expiry, cas, cancellationToken);

    /// <summary>Stores a document only if absent (the original's <c>add</c>).</summary>
    public Task<MutationResult> InsertAsync<T>(string key, T value, TimeSpan expiry = default,
        CancellationToken cancellationToken = default) =>
        Default.InsertAsync<T>(key, value, expiry, cancellationToken);

    /// <summary>Replaces a document only if present (and, with <paramref name="cas"/>, only that version).</summary>
    public Task<MutationResult> ReplaceAsync<T>(string key, T value, ulong cas = 0, TimeSpan expiry = default,
        CancellationToken cancellationToken = default) =>
        Default.ReplaceAsync<T>(key, value, cas, expiry, cancellationToken);

    /// <summary>Appends text or bytes to a document.</summary>
    public Task<MutationResult> AppendAsync(string key, object value, CancellationToken cancellationToken = default) =>
        Default.AppendAsync(key, value, cancellationToken);

    /// <summary>Prepends text or bytes to a document.</summary>
    public Task<MutationResult> PrependAsync(string key, object value, CancellationToken cancellationToken = default) =>
        Default.PrependAsync(key, value, cancellationToken);

    /// <summary>Removes a document; with <paramref name="quiet"/> a missing document is not a miss.</summary>
    public Task<MutationResult> RemoveAsync(string key, ulong cas = 0, bool quiet = false,
        CancellationToken cancellationToken = default) =>
        Default.RemoveAsync(key, cas, quiet, cancellationToken);

    /// <summary>Adds to a counter; <paramref name="initial"/> creates it when absent (null: NotFound instead).</summary>
    public Task<CounterResult> IncrementAsync(string key, ulong delta = 1, ulong? initial = null,
        TimeSpan expiry = default, CancellationToken cancellationToken = default) =>
        Default.IncrementAsync(key, delta, initial, expiry, cancellationToken);

    /// <summary>Subtracts from a counter (never below 0).</summary>
    public Task<CounterResult> DecrementAsync(string key, ulong delta = 1, ulong? initial = null,
        TimeSpan expiry = default, CancellationToken cancellationToken = default) =>
        Default.DecrementAsync(key, delta, initial, expiry, cancellationToken);

    /// <summary>Reads many documents (the original's <c>get_multi</c>).</summary>
    public Task<MultiResult<GetResult>> GetMultiAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default) =>
        Default.GetMultiAsync(keys, cancellationToken);

    /// <summary>Stores many documents.</summary>
    public Task<MultiResult<MutationResult>> UpsertMultiAsync(IReadOnlyDictionary<string, object?> items,
        TimeSpan expiry = default, CancellationToken cancellationToken = default) =>
        Default.UpsertMultiAsync(items, expiry, cancellationToken);

    /// <summary>Many single-key commands, one per key, answered together (the original's other <c>*_multi</c> operations); see <see cref="Kv.Multi"/>.</summary>
    public Task<MultiResult<KvResult>> MultiAsync(IEnumerable<Kv.KeyCommand> commands, CancellationToken cancellationToken = default) =>
        SendAsync<MultiResult<KvResult>>(new Kv.Multi(commands.ToList()), cancellationToken);


    /// <summary>The servers' statistics, by node (the original's <c>stats()</c>); see <see cref="Kv.Stats"/>.</summary>
    public Task<Kv.StatsResult> StatsAsync(string? group = null, CancellationToken cancellationToken = default) =>
        SendAsync<Kv.StatsResult>(new Kv.Stats { Group = group }, cancellationToken);


    /// <summary>Removes many documents.</summary>
    public Task<MultiResult<MutationResult>> RemoveMultiAsync(IEnumerable<string> keys, bool quiet = false,
        CancellationToken cancellationToken = default) =>
        Default.RemoveMultiAsync(keys, quiet, cancellationToken);
}
