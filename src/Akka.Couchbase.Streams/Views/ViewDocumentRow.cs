namespace Akka.Couchbase.Streams.Views;

/// <summary>
/// A view row with its document, read through KV after the row arrived (<c>include_docs</c>). The document is read
/// when the row passes, so it may be newer than the index, or gone: a document removed since it was indexed is a
/// <see cref="GetResult"/> with outcome <see cref="KvOutcome.NotFound"/>, in the stream like any other row. The
/// row's receiver owns <see cref="Document"/>: with value pooling on (<c>akka.couchbase.value-pooling</c>), dispose it
/// once done with its value (see <see cref="GetResult"/>).
/// </summary>
/// <param name="Row">The view row.</param>
/// <param name="Document">The read's result; null for a row without id (a reduced row) or when the read failed.</param>
/// <param name="Failure">Why the read failed (a timeout, a node out of reach...); null when it did not.</param>
public sealed record ViewDocumentRow(ViewRow Row, GetResult? Document, CouchbaseException? Failure)
{
    /// <summary>The document id, as <see cref="ViewRow.Id"/>.</summary>
    public string? Id => Row.Id;

    /// <summary>The read's outcome (<see cref="KvOutcome.Success"/> or <see cref="KvOutcome.NotFound"/>); null when there was no read or it failed.</summary>
    public KvOutcome? Outcome => Document?.Outcome;

    /// <summary>True when the document was read.</summary>
    public bool Found => Document is { IsSuccess: true };

    /// <summary>The document decoded as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">The document was not read (see <see cref="Outcome"/> and <see cref="Failure"/>).</exception>
    public T ContentAs<T>() => Found
        ? Document!.ContentAs<T>()
        : throw new InvalidOperationException(Failure is not null
            ? $"the document {Id} could not be read: {Failure.Message}"
            : Id is null ? "a row without id has no document" : $"the document {Id} was not found");
}
