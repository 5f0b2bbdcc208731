namespace Akka.Couchbase.Streams.Views;

/// <summary>
/// The last message to a row actor when every row was delivered and acknowledged (the original's <c>on_done</c>).
/// </summary>
/// <param name="Rows">Rows delivered, all batches together.</param>
/// <param name="Batches">Batches delivered (the original's count of <c>on_rows</c> calls).</param>
/// <param name="Metadata">The response's metadata (<c>total_rows</c>, partial errors) with <c>QueryToActor</c>; null with <c>ToActor</c>.</param>
public sealed record ViewRowsCompleted(long Rows, long Batches, ViewMetadata? Metadata)
{
    /// <summary>Rows in the whole index (the original's <c>indexed_rows</c>), when known.</summary>
    public long? TotalRows => Metadata?.TotalRows;
}
