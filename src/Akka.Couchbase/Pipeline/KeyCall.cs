namespace Akka.Couchbase.Pipeline;

/// <summary>
/// A plain Task facade call on one key (no cancellation token, no spans wanted, no correlation id or timeout of its
/// own): the task and, at once, the command it waits for, so that the call allocates no <see cref="Kv"/> command
/// besides its task. The supervisor admits it as it admits the command it stands for
/// (<see cref="RequestFactory.Create(IKeyCall)"/>); anything else that needs the public command (a dead letter's
/// failure, spans turned on meanwhile) gets one made from the same fields by <see cref="ITaskSink.Command"/>.
/// </summary>
internal interface IKeyCall : ITaskSink, Kv.ICommand
{
    /// <summary>The document's key (checked at admission, as the command's is).</summary>
    string Key { get; }

    /// <summary>The scope named by the collection handle, or null: the client's default.</summary>
    string? ScopeName { get; }

    /// <summary>The collection named by the collection handle, or null: the client's default.</summary>
    string? CollectionName { get; }
}

/// <summary>The fields every <see cref="IKeyCall"/> has: its key and the collection handle it was called on.</summary>
internal abstract class KeyCall<TReply> : TaskSinkBase<TReply>, IKeyCall
{
    private readonly CouchbaseCollection? _collection;

    /// <param name="key">The document's key.</param>
    /// <param name="collection">The handle it was called on; null, or a handle that names nothing, for the client's default collection.</param>
    protected KeyCall(string key, CouchbaseCollection? collection)
    {
        Key = key;
        _collection = collection is { ScopeOrNull: null, NameOrNull: null } ? null : collection;
    }

    /// <inheritdoc />
    public string Key { get; }

    /// <inheritdoc />
    public string? ScopeName => _collection?.ScopeOrNull;

    /// <inheritdoc />
    public string? CollectionName => _collection?.NameOrNull;

    /// <inheritdoc />
    public override System.Diagnostics.Activity? CallerActivity => null;

    /// <inheritdoc />
    object? Kv.ICommand.CorrelationId => null;

    /// <inheritdoc />
    TimeSpan? Kv.ICommand.Timeout => null;
}

/// <summary>A plain <c>GetAsync(key)</c>.</summary>
internal sealed class GetCall(string key, CouchbaseCollection? collection) : KeyCall<GetResult>(key, collection)
{
    /// <summary>The same read as a public command (made only when something needs it).</summary>
    public override Kv.ICommand Command => new Kv.Get(Key) { Scope = ScopeName, Collection = CollectionName };
}

/// <summary>A plain <c>UpsertAsync(key, value, expiry, cas)</c>.</summary>
internal sealed class UpsertCall(string key, object? value, TimeSpan expiry, ulong cas, CouchbaseCollection? collection)
    : KeyCall<MutationResult>(key, collection)
{
    /// <summary>The value to store (encoded at admission, as the command's is).</summary>
    public object? Value { get; } = value;

    /// <summary>Its expiry; zero: never.</summary>
    public TimeSpan Expiry { get; } = expiry;

    /// <summary>Non-zero: store only over this version.</summary>
    public ulong Cas { get; } = cas;

    /// <summary>The same write as a public command (made only when something needs it).</summary>
    public override Kv.ICommand Command =>
        new Kv.Upsert(Key, Value) { Expiry = Expiry, Cas = Cas, Scope = ScopeName, Collection = CollectionName };
}
