using Akka.Couchbase.Pipeline;

namespace Akka.Couchbase;

/// <summary>
/// The Task facade for the documents of one collection (<c>client.Collection("inventory", "airline")</c>): every
/// call sends its <see cref="Kv"/> command with this <see cref="Scope"/> and <see cref="Name"/>, as the message path
/// does with <see cref="Kv.KeyCommand.Scope"/> and <see cref="Kv.KeyCommand.Collection"/>. A light handle: make one
/// whenever convenient, it holds nothing but the names and the client.
/// </summary>
public sealed partial class CouchbaseCollection
{
    private readonly CouchbaseClient _client;
    private readonly string? _scope;
    private readonly string? _name;

    internal CouchbaseCollection(CouchbaseClient client, string? scope, string? name)
    {
        _client = client;
        _scope = scope;
        _name = name;
    }

    /// <summary>The scope; the client's default (<c>akka.couchbase.default-scope</c>) for its default handle.</summary>
    public string Scope => _scope ?? _client.Settings.DefaultScope;

    /// <summary>The collection's name; the client's default (<c>default-collection</c>) for its default handle.</summary>
    public string Name => _name ?? _client.Settings.DefaultCollection;

    /// <summary>The client this handle sends through.</summary>
    public CouchbaseClient Client => _client;

    /// <summary>The scope this handle names, or null for the client's default.</summary>
    internal string? ScopeOrNull => _scope;

    /// <summary>The collection this handle names, or null for the client's default.</summary>
    internal string? NameOrNull => _name;

    private Task<T> Send<T>(Kv.KeyCommand command, CancellationToken cancellationToken) =>
        _client.SendAsync<T>(_scope is null && _name is null ? command : command with { Scope = _scope, Collection = _name },
            cancellationToken);

    private Task<T> Send<T>(Kv.MultiCommand command, CancellationToken cancellationToken) =>
        _client.SendAsync<T>(_scope is null && _name is null ? command : command with { Scope = _scope, Collection = _name },
            cancellationToken);

    /// <summary>Reads a document. A miss is a result with <see cref="KvOutcome.NotFound"/>.</summary>
    public Task<GetResult> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Plain(key, cancellationToken)
            ? _client.SendPlain(new GetCall(key, this))
            : Send<GetResult>(new Kv.Get(key), cancellationToken);

    /// <summary>
    /// Reads a document's value as <typeparamref name="T"/>; throws <see cref="KeyNotFoundException"/> on a miss.
    /// With value pooling on, the result is disposed once decoded (its pooled array given back), except for
    /// <see cref="ReadOnlyMemory{T}"/> of bytes, which is the value itself, and for a custom transcoder's types.
    /// </summary>
    public async Task<T> GetAsync<T>(string key, CancellationToken cancellationToken = default)
    {
        var result = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess
            ? result.ContentAsThenDispose<T>()
            : throw new KeyNotFoundException($"document '{key}': {result.Outcome}");
    }

    /// <summary>
    /// Reads a document's value as <typeparamref name="T"/>, or <c>(false, default)</c> on a miss. The result is
    /// disposed once decoded, as by <see cref="GetAsync{T}"/>.
    /// </summary>
    public async Task<(bool Found, T? Value)> TryGetAsync<T>(string key, CancellationToken cancellationToken = default)
    {
        var result = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess ? (true, result.ContentAsThenDispose<T>()) : (false, default);
    }

    /// <summary>Where each copy of a document stands (the original's <c>observe</c>); see <see cref="Kv.Observe"/>.</summary>
    public Task<ObserveResult> ObserveAsync(string key, CancellationToken cancellationToken = default) =>
        Send<ObserveResult>(new Kv.Observe(key), cancellationToken);

    /// <summary>Reads replica <paramref name="replica"/> of a document (the original's <c>rget</c>); see <see cref="Kv.GetReplica"/>.</summary>
    public Task<GetResult> GetReplicaAsync(string key, int replica = 1, CancellationToken cancellationToken = default) =>
        Send<GetResult>(new Kv.GetReplica(key) { Replica = replica }, cancellationToken);

    /// <summary>Reads a document and sets its expiry.</summary>
    public Task<GetResult> GetAndTouchAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default) =>
        Send<GetResult>(new Kv.GetAndTouch(key, expiry), cancellationToken);

    /// <summary>Reads and locks a document; the result's CAS unlocks it.</summary>
    public Task<GetResult> GetAndLockAsync(string key, TimeSpan lockTime, CancellationToken cancellationToken = default) =>
        Send<GetResult>(new Kv.GetAndLock(key, lockTime), cancellationToken);

    /// <summary>Unlocks a document locked with <see cref="GetAndLockAsync"/>.</summary>
    public Task<MutationResult> UnlockAsync(string key, ulong cas, CancellationToken cancellationToken = default) =>
        Send<MutationResult>(new Kv.Unlock(key, cas), cancellationToken);

    /// <summary>Sets a document's expiry.</summary>
    public Task<MutationResult> TouchAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default) =>
        Send<MutationResult>(new Kv.Touch(key, expiry), cancellationToken);

    /// <summary>Stores a document (the original's <c>set</c>).</summary>
    public Task<MutationResult> UpsertAsync<T>(string key, T value, TimeSpan expiry = default, ulong cas = 0,
        CancellationToken cancellationToken = default) =>
        Plain(key, cancellationToken)
            ? _client.SendPlain(new UpsertCall(key, value, expiry, cas, this))
            : Send<MutationResult>(new Kv.Upsert(key, value) { Expiry = expiry, Cas = cas }, cancellationToken);

    /// <summary>
    /// Whether a call can go as one object (<see cref="IKeyCall"/>): it has a key, no token to register with (a
    /// cancellable call takes the general path, which registers it), and the client sends plain calls now.
    /// </summary>
    private bool Plain(string? key, CancellationToken cancellationToken) =>
        key is not null && !cancellationToken.CanBeCanceled && _client.SendsPlainCalls;

    /// <summary>Stores a document only if absent (the original's <c>add</c>).</summary>
    public Task<MutationResult> InsertAsync<T>(string key, T value, TimeSpan expiry = default,
        CancellationToken cancellationToken = default) =>
        Send<MutationResult>(new Kv.Insert(key, value) { Expiry = expiry }, cancellationToken);

    /// <summary>Replaces a document only if present (and, with <paramref name="cas"/>, only that version).</summary>
    public Task<MutationResult> ReplaceAsync<T>(string key, T value, ulong cas = 0, TimeSpan expiry = default,
        CancellationToken cancellationToken = default) =>
        Send<MutationResult>(new Kv.Replace(key, value) { Cas = cas, Expiry = expiry }, cancellationToken);

    /// <summary>Appends text or bytes to a document.</summary>
    public Task<MutationResult> AppendAsync(string key, object value, CancellationToken cancellationToken = default) =>
        Send<MutationResult>(new Kv.Append(key, value), cancellationToken);

    /// <summary>Prepends text or bytes to a document.</summary>
    public Task<MutationResult> PrependAsync(string key, object value, CancellationToken cancellationToken = default) =>
        Send<MutationResult>(new Kv.Prepend(key, value), cancellationToken);

    /// <summary>Removes a document; with <paramref name="quiet"/> a missing document is not a miss.</summary>
    public Task<MutationResult> RemoveAsync(string key, ulong cas = 0, bool quiet = false,
        CancellationToken cancellationToken = default) =>
        Send<MutationResult>(new Kv.Remove(key) { Cas = cas, Quiet = quiet }, cancellationToken);

    /// <summary>Adds to a counter; <paramref name="initial"/> creates it when absent (null: NotFound instead).</summary>
    public Task<CounterResult> IncrementAsync(string key, ulong delta = 1, ulong? initial = null,
        TimeSpan expiry = default, CancellationToken cancellationToken = default) =>
        Send<CounterResult>(new Kv.Increment(key) { Delta = delta, Initial = initial, Expiry = expiry }, cancellationToken);

    /// <summary>Subtracts from a counter (never below 0).</summary>
    public Task<CounterResult> DecrementAsync(string key, ulong delta = 1, ulong? initial = null,
        TimeSpan expiry = default, CancellationToken cancellationToken = default) =>
        Send<CounterResult>(new Kv.Decrement(key) { Delta = delta, Initial = initial, Expiry = expiry }, cancellationToken);

    /// <summary>Reads many documents (the original's <c>get_multi</c>).</summary>
    public Task<MultiResult<GetResult>> GetMultiAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default) =>
        Send<MultiResult<GetResult>>(new Kv.GetMulti(keys.ToList()), cancellationToken);

    /// <summary>Stores many documents.</summary>
    public Task<MultiResult<MutationResult>> UpsertMultiAsync(IReadOnlyDictionary<string, object?> items,
        TimeSpan expiry = default, CancellationToken cancellationToken = default) =>
        Send<MultiResult<MutationResult>>(new Kv.UpsertMulti(items) { Expiry = expiry }, cancellationToken);

    /// <summary>Removes many documents.</summary>
    public Task<MultiResult<MutationResult>> RemoveMultiAsync(IEnumerable<string> keys, bool quiet = false,
        CancellationToken cancellationToken = default) =>
        Send<MultiResult<MutationResult>>(new Kv.RemoveMulti(keys.ToList()) { Quiet = quiet }, cancellationToken);

    /// <inheritdoc />
    public override string ToString() => $"CouchbaseCollection({Scope}.{Name})";
}
