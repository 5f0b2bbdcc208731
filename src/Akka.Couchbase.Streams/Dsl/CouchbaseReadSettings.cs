namespace Akka.Couchbase.Streams.Dsl;

/// <summary>
/// How a read flow or source (<see cref="CouchbaseFlow.Get(CouchbaseReadSettings?, CouchbaseClient?)"/>,
/// <see cref="CouchbaseSource.GetMulti"/>) sends its commands. Immutable: change it with <c>with</c> or the
/// <c>With...</c> copies.
/// </summary>
public sealed record CouchbaseReadSettings
{
    /// <summary>The settings every field of which is its default.</summary>
    public static CouchbaseReadSettings Default { get; } = new();

    /// <summary>Commands in flight at once (1 to <see cref="CouchbaseFlow.MaxParallelism"/>); default <see cref="CouchbaseFlow.DefaultParallelism"/>.</summary>
    public int Parallelism { get; init; } = CouchbaseFlow.DefaultParallelism;

    /// <summary>Each command's deadline; null = the client's <c>akka.couchbase.operation-timeout</c>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The scope of the documents' collection; null = the client's default scope.</summary>
    public string? Scope { get; init; }

    /// <summary>The documents' collection; null = the client's default collection.</summary>
    public string? Collection { get; init; }

    /// <summary>A copy with <see cref="Parallelism"/> set.</summary>
    public CouchbaseReadSettings WithParallelism(int parallelism) => this with { Parallelism = parallelism };

    /// <summary>A copy with <see cref="Timeout"/> set.</summary>
    public CouchbaseReadSettings WithTimeout(TimeSpan? timeout) => this with { Timeout = timeout };

    /// <summary>A copy naming the collection the documents are read from.</summary>
    public CouchbaseReadSettings WithCollection(string? scope, string? collection) =>
        this with { Scope = scope, Collection = collection };

    /// <summary>Checks every field; throws an <see cref="ArgumentException"/> naming the bad one.</summary>
    internal CouchbaseReadSettings Validated()
    {
        SettingsChecks.Parallelism(Parallelism);
        SettingsChecks.Timeout(Timeout);
        return this;
    }
}
