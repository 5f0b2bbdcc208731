using Akka.Couchbase.Transcoding;

namespace Akka.Couchbase;

/// <summary>
/// The reply to <see cref="Kv.MutateIn"/>. On success, <see cref="Entries"/> holds one entry per spec in the order of
/// the command (counters carry their new value). When a spec failed on its path the outcome is
/// <see cref="KvOutcome.PathFailure"/>, nothing was changed, and <see cref="FailedIndex"/>, <see cref="FailedPath"/>
/// and <see cref="FailedStatus"/> say which spec and why (the server reports the first that failed).
/// </summary>
public sealed record MutateInResult(string Key, KvOutcome Outcome, ulong Cas, object? CorrelationId,
    IReadOnlyList<SubDocumentEntry> Entries, MutationToken? Token = null, int? FailedIndex = null,
    string? FailedPath = null, SubDocumentStatus? FailedStatus = null, bool IsDeleted = false)
    : KvResult(Key, Outcome, Cas, CorrelationId)
{
    internal ITranscoder Transcoder { get; init; } = DefaultTranscoder.Instance;

    /// <summary>The value spec <paramref name="index"/> returned (a counter's new value) as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">The mutation did not succeed, or the spec returns no value.</exception>
    /// <exception cref="ArgumentOutOfRangeException">There is no spec <paramref name="index"/>.</exception>
    public T ContentAs<T>(int index)
    {
        if (!IsSuccess) throw new InvalidOperationException($"no values for key '{Key}': the outcome is {Outcome}");
        if ((uint)index >= (uint)Entries.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the mutate-in of key '{Key}' had {Entries.Count} specs");
        var entry = Entries[index];
        if (entry.RawValue.IsEmpty)
            throw new InvalidOperationException($"spec {index} ('{entry.Path}') of the mutate-in of key '{Key}' returns no value (only counters do)");
        return entry.ContentAs<T>(Transcoder, Key, "mutate-in of key");
    }

    /// <inheritdoc />
    public override string ToString() => Outcome == KvOutcome.PathFailure
        ? $"MutateInResult(Key={Key}, PathFailure: spec {FailedIndex} ('{FailedPath}') {FailedStatus})"
        : $"MutateInResult(Key={Key}, Outcome={Outcome}, Cas=0x{Cas:x}{(IsDeleted ? ", deleted" : "")})";
}
