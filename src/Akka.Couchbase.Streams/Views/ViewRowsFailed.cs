namespace Akka.Couchbase.Streams.Views;

/// <summary>
/// The last message to a row actor when the stream failed (the original's <c>on_error</c>). Every row that reached
/// the sink before the failure was delivered first, in batches acknowledged as usual, so <see cref="RowsDelivered"/>
/// counts them all: none is dropped.
/// </summary>
/// <param name="Cause">Why the stream failed (a <see cref="ViewQueryException"/> for the view's own failures).</param>
/// <param name="RowsDelivered">Rows delivered before this message, all batches together.</param>
/// <param name="Batches">Batches delivered before this message.</param>
public sealed record ViewRowsFailed(Exception Cause, long RowsDelivered, long Batches);
