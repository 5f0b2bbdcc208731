namespace Akka.Couchbase.Pipeline;

/// <summary>
/// A plain <c>GetAsync</c> (no cancellation token, no spans wanted): the task and, at once, the command it waits
/// for, so that the most common call allocates no <see cref="Kv.Get"/> besides its task. The supervisor admits it
/// as it admits a <see cref="Kv.Get"/> (<see cref="RequestFactory.CreateGet(GetCall)"/>); anything else that needs
/// the public command (a dead letter's failure, spans turned on meanwhile) gets one made from the same fields by
/// <see cref="Command"/>.
/// </summary>
internal sealed class GetCall : TaskSinkBase<GetResult>, Kv.ICommand
{
    public GetCall(string key, CouchbaseCollection? collection)
    {
        Key = key;
        Collection = collection;
    }

    /// <summary>The document's key (checked at admission, as a <see cref="Kv.Get"/>'s is).</summary>
    public string Key { get; }

    /// <summary>The collection handle it was called on, or null for the client's default collection.</summary>
    public CouchbaseCollection? Collection { get; }

    /// <summary>The scope named by the handle, or null: the client's default.</summary>
    public string? ScopeName => Collection?.ScopeOrNull;

    /// <summary>The collection named by the handle, or null: the client's default.</summary>
    public string? CollectionName => Collection?.NameOrNull;

    /// <summary>The same read as a public command (made only when something needs it).</summary>
    public override Kv.ICommand Command => new Kv.Get(Key) { Scope = ScopeName, Collection = CollectionName };

    /// <inheritdoc />
    public override System.Diagnostics.Activity? CallerActivity => null;

    /// <inheritdoc />
    object? Kv.ICommand.CorrelationId => null;

    /// <inheritdoc />
    TimeSpan? Kv.ICommand.Timeout => null;
}
