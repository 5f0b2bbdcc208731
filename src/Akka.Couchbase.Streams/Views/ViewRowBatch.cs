namespace Akka.Couchbase.Streams.Views;

/// <summary>
/// Rows delivered to an actor by <c>CouchbaseViews.ToActor</c> / <c>QueryToActor</c> (the original's
/// <c>on_rows</c>). The actor replies <see cref="ViewRowsAck.Instance"/> to its sender when it has taken the batch;
/// the next batch comes only then.
/// </summary>
/// <typeparam name="T">The row type: <see cref="ViewRow"/>, or <see cref="ViewDocumentRow"/> with documents.</typeparam>
/// <param name="Rows">The rows, in the stream's order; never empty.</param>
/// <param name="Sequence">1 for the first batch, then 2, 3...</param>
public sealed record ViewRowBatch<T>(IReadOnlyList<T> Rows, long Sequence);
