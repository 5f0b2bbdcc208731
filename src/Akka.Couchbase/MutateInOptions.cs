namespace Akka.Couchbase;

/// <summary>Options of <see cref="CouchbaseClient.MutateInAsync(string, Action{MutateInSpecBuilder}, MutateInOptions?, CancellationToken)"/>; see <see cref="Kv.MutateIn"/>.</summary>
public sealed record MutateInOptions
{
    /// <summary>Non-zero: change only this version.</summary>
    public ulong Cas { get; init; }

    /// <summary>The document's expiry; zero = never.</summary>
    public TimeSpan Expiry { get; init; }

    /// <summary>Keep the document's expiry (needs PreserveTtl from the server).</summary>
    public bool PreserveExpiry { get; init; }

    /// <summary>Replace (the document must exist, the default), Upsert or Insert.</summary>
    public StoreSemantics StoreSemantics { get; init; }

    /// <summary>Change a deleted document too (its xattrs).</summary>
    public bool AccessDeleted { get; init; }

    /// <summary>Nodes that must have persisted the change before the task completes (observe-based durability).</summary>
    public int PersistTo { get; init; }

    /// <summary>Replicas that must have the change before the task completes.</summary>
    public int ReplicateTo { get; init; }

    /// <summary>The deadline; null = <c>operation-timeout</c>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Echoed in the result.</summary>
    public object? CorrelationId { get; init; }
}
