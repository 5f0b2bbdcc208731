namespace Akka.Couchbase;

/// <summary>The reply to a KV command that reached the server and came back with an expected outcome.</summary>
public abstract record KvResult(string Key, KvOutcome Outcome, ulong Cas, object? CorrelationId)
{
    /// <summary>True when <see cref="Outcome"/> is <see cref="KvOutcome.Success"/>.</summary>
    public bool IsSuccess => Outcome == KvOutcome.Success;
}

/// <summary>The reply to Upsert, Insert, Replace, Append, Prepend, Remove, Touch and Unlock.</summary>
public sealed record MutationResult(string Key, KvOutcome Outcome, ulong Cas, object? CorrelationId,
    MutationToken? Token = null) : KvResult(Key, Outcome, Cas, CorrelationId)
{
    /// <inheritdoc />
    public override string ToString() => $"MutationResult(Key={Key}, Outcome={Outcome}, Cas=0x{Cas:x})";
}

/// <summary>The reply to Increment and Decrement.</summary>
public sealed record CounterResult(string Key, KvOutcome Outcome, ulong Cas, object? CorrelationId, ulong Value,
    MutationToken? Token = null) : KvResult(Key, Outcome, Cas, CorrelationId)
{
    /// <inheritdoc />
    public override string ToString() => $"CounterResult(Key={Key}, Outcome={Outcome}, Value={Value}, Cas=0x{Cas:x})";
}

/// <summary>A mutation's position in its vBucket's history (when the server sends MUTATION_SEQNO extras).</summary>
public sealed record MutationToken(int VBucket, ulong VBucketUuid, ulong SequenceNumber);

/// <summary>
/// The reply to a multi command: one result per key. A key whose own command failed (timeout, node down) has
/// its failure in <see cref="Failures"/> instead; the multi reply itself never fails because one key did.
/// </summary>
public sealed record MultiResult<T>(IReadOnlyDictionary<string, T> Results,
    IReadOnlyDictionary<string, CouchbaseException> Failures, object? CorrelationId) where T : KvResult
{
    /// <summary>True when every key has a result with outcome Success.</summary>
    public bool AllSucceeded => Failures.Count == 0 && Results.Values.All(r => r.IsSuccess);

    /// <inheritdoc />
    public override string ToString() =>
        $"MultiResult<{typeof(T).Name}>({Results.Count} results, {Failures.Count} failures)";
}

/// <summary>What OBSERVE said of one copy of a document.</summary>
public enum ObserveState
{
    /// <summary>In memory, not yet persisted.</summary>
    Found,
    /// <summary>Persisted to disk.</summary>
    Persisted,
    /// <summary>Not there (never stored, removed and persisted, or not yet replicated).</summary>
    NotFound,
    /// <summary>Removed, the removal not yet persisted.</summary>
    LogicallyDeleted,
    /// <summary>The node did not answer (unreachable, timed out, or an unreadable reply).</summary>
    Unknown,
}

/// <summary>One copy of a document as its node reported it.</summary>
public sealed record ObservedCopy(string Node, bool IsActive, ObserveState State, ulong Cas);

/// <summary>
/// The reply to <see cref="Kv.Observe"/>: one entry per node that holds a copy in the current map, the active one
/// first. <see cref="KvResult.Cas"/> is the active copy's (0 if it was not seen).
/// </summary>
public sealed record ObserveResult(string Key, KvOutcome Outcome, ulong Cas, object? CorrelationId,
    IReadOnlyList<ObservedCopy> Copies) : KvResult(Key, Outcome, Cas, CorrelationId)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"ObserveResult(Key={Key}, {string.Join(", ", Copies.Select(c => $"{(c.IsActive ? "active" : "replica")} {c.Node}: {c.State} 0x{c.Cas:x}"))})";
}
