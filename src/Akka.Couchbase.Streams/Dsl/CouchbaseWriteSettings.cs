namespace Akka.Couchbase.Streams.Dsl;

/// <summary>
/// How a write flow or sink (upsert, insert, replace, remove, mutate-in) makes and sends its commands: every
/// command it makes carries these fields. Immutable: change it with <c>with</c> or the <c>With...</c> copies.
/// </summary>
public sealed record CouchbaseWriteSettings
{
    /// <summary>The settings every field of which is its default.</summary>
    public static CouchbaseWriteSettings Default { get; } = new();

    /// <summary>Commands in flight at once (1 to <see cref="CouchbaseFlow.MaxParallelism"/>); default <see cref="CouchbaseFlow.DefaultParallelism"/>.</summary>
    public int Parallelism { get; init; } = CouchbaseFlow.DefaultParallelism;

    /// <summary>Each command's deadline; null = the client's <c>akka.couchbase.operation-timeout</c>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// The documents' expiry (upsert, insert, replace, mutate-in); zero = never. Up to 30 days it is relative,
    /// beyond it an absolute time.
    /// </summary>
    public TimeSpan Expiry { get; init; }

    /// <summary>Nodes, the active one included, that must have persisted each write before it is answered (0 to 4); 0 = do not wait.</summary>
    public int PersistTo { get; init; }

    /// <summary>Replicas that must have each write before it is answered (0 to 3); 0 = do not wait.</summary>
    public int ReplicateTo { get; init; }

    /// <summary>The scope of the documents' collection; null = the client's default scope.</summary>
    public string? Scope { get; init; }

    /// <summary>The documents' collection; null = the client's default collection.</summary>
    public string? Collection { get; init; }

    /// <summary>A copy with <see cref="Parallelism"/> set.</summary>
    public CouchbaseWriteSettings WithParallelism(int parallelism) => this with { Parallelism = parallelism };

    /// <summary>A copy with <see cref="Timeout"/> set.</summary>
    public CouchbaseWriteSettings WithTimeout(TimeSpan? timeout) => this with { Timeout = timeout };

    /// <summary>A copy with <see cref="Expiry"/> set.</summary>
    public CouchbaseWriteSettings WithExpiry(TimeSpan expiry) => this with { Expiry = expiry };

    /// <summary>A copy with <see cref="PersistTo"/> and <see cref="ReplicateTo"/> set (observe-based durability).</summary>
    public CouchbaseWriteSettings WithDurability(int persistTo, int replicateTo) =>
        this with { PersistTo = persistTo, ReplicateTo = replicateTo };

    /// <summary>A copy naming the collection the documents are written to.</summary>
    public CouchbaseWriteSettings WithCollection(string? scope, string? collection) =>
        this with { Scope = scope, Collection = collection };

    /// <summary>Checks every field; throws an <see cref="ArgumentException"/> naming the bad one.</summary>
    internal CouchbaseWriteSettings Validated()
    {
        SettingsChecks.Parallelism(Parallelism);
        SettingsChecks.Timeout(Timeout);
        if (Expiry < TimeSpan.Zero)
            throw new ArgumentException($"Expiry must not be negative (was {Expiry})", nameof(Expiry));
        if (PersistTo is < 0 or > 4)
            throw new ArgumentException($"PersistTo must be 0 to 4 (the active node and up to 3 replicas; was {PersistTo})", nameof(PersistTo));
        if (ReplicateTo is < 0 or > 3)
            throw new ArgumentException($"ReplicateTo must be 0 to 3 (was {ReplicateTo})", nameof(ReplicateTo));
        return this;
    }
}
