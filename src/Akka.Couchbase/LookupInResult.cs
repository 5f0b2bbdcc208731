using Akka.Couchbase.Transcoding;

namespace Akka.Couchbase;

/// <summary>
/// The reply to <see cref="Kv.LookupIn"/>. When the document was read (<see cref="KvResult.IsSuccess"/>),
/// <see cref="Entries"/> holds one entry per spec, in the order of the command, each with its own status: a path
/// that is not there is an entry with <see cref="SubDocumentStatus.PathNotFound"/>, not a failure. A missing
/// document is the outcome NotFound and has no entries.
/// </summary>
public sealed record LookupInResult(string Key, KvOutcome Outcome, ulong Cas, object? CorrelationId,
    IReadOnlyList<SubDocumentEntry> Entries, bool IsDeleted = false) : KvResult(Key, Outcome, Cas, CorrelationId)
{
    internal ITranscoder Transcoder { get; init; } = DefaultTranscoder.Instance;

    /// <summary>The value of spec <paramref name="index"/> as <typeparamref name="T"/> (JSON, through the client's transcoder).</summary>
    /// <exception cref="InvalidOperationException">The document was not read, or the spec did not succeed, or it is an Exists (no value).</exception>
    /// <exception cref="ArgumentOutOfRangeException">There is no spec <paramref name="index"/>.</exception>
    public T ContentAs<T>(int index)
    {
        var entry = Entry(index);
        if (entry.IsSuccess && entry.RawValue.IsEmpty)
            throw new InvalidOperationException(
                $"spec {index} ('{entry.Path}') of the lookup-in of key '{Key}' has no value (an Exists spec: read it with Exists({index}))");
        return entry.ContentAs<T>(Transcoder, Key, "lookup-in of key");
    }

    /// <summary>Whether spec <paramref name="index"/> found its path: true when its status is Success, false for any other status (see <see cref="Status"/>).</summary>
    /// <exception cref="InvalidOperationException">The document was not read.</exception>
    /// <exception cref="ArgumentOutOfRangeException">There is no spec <paramref name="index"/>.</exception>
    public bool Exists(int index) => Entry(index).IsSuccess;

    /// <summary>The status of spec <paramref name="index"/>.</summary>
    /// <exception cref="InvalidOperationException">The document was not read.</exception>
    /// <exception cref="ArgumentOutOfRangeException">There is no spec <paramref name="index"/>.</exception>
    public SubDocumentStatus Status(int index) => Entry(index).Status;

    /// <summary>The index of the first spec on <paramref name="path"/>, or -1.</summary>
    public int IndexOf(string path)
    {
        for (var i = 0; i < Entries.Count; i++)
            if (Entries[i].Path == path) return i;
        return -1;
    }

    private SubDocumentEntry Entry(int index)
    {
        if (!IsSuccess) throw new InvalidOperationException($"no values for key '{Key}': the outcome is {Outcome}");
        if ((uint)index >= (uint)Entries.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the lookup-in of key '{Key}' had {Entries.Count} specs");
        return Entries[index];
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"LookupInResult(Key={Key}, Outcome={Outcome}, Cas=0x{Cas:x}{(IsDeleted ? ", deleted" : "")}, [{string.Join(", ", Entries.Select(e => $"{e.Path}: {e.Status}"))}])";
}
