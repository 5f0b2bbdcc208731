using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.Streams.Views;

/// <summary>What a view response says besides its rows.</summary>
/// <param name="TotalRows">Rows in the whole index (<c>total_rows</c>; the original's <c>indexed_rows</c>); null for reduced queries.</param>
/// <param name="RowsRead">Rows this stream delivered.</param>
/// <param name="Errors">Partial failures reported by the merging node (<c>on_error=continue</c>).</param>
/// <param name="DebugInfo">The <c>debug_info</c> object, when asked for.</param>
public sealed record ViewMetadata(long? TotalRows, long RowsRead, IReadOnlyList<ViewError> Errors, JToken? DebugInfo);

/// <summary>One partial failure in a view response.</summary>
/// <param name="From">The node or URL that failed.</param>
/// <param name="Reason">Why.</param>
public sealed record ViewError(string? From, string? Reason);

/// <summary>All the rows of a view query, buffered (the original's <c>queryAll</c>), with its metadata.</summary>
/// <param name="Rows">The rows, in the server's order.</param>
/// <param name="Metadata">Total rows, partial errors, debug info.</param>
public sealed record ViewQueryResult(IReadOnlyList<ViewRow> Rows, ViewMetadata Metadata)
{
    /// <summary>Rows in the whole index, as <see cref="ViewMetadata.TotalRows"/>.</summary>
    public long? TotalRows => Metadata.TotalRows;
}
