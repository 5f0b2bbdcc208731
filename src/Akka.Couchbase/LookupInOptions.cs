namespace Akka.Couchbase;

/// <summary>Options of <see cref="CouchbaseClient.LookupInAsync(string, Action{LookupInSpecBuilder}, LookupInOptions?, CancellationToken)"/>; see <see cref="Kv.LookupIn"/>.</summary>
public sealed record LookupInOptions
{
    /// <summary>Read a deleted document too (its xattrs).</summary>
    public bool AccessDeleted { get; init; }

    /// <summary>The deadline; null = <c>operation-timeout</c>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Echoed in the result.</summary>
    public object? CorrelationId { get; init; }
}
