using Akka.Couchbase.Streams.Views;
using Akka.Streams.Dsl;

namespace Akka.Couchbase.Streams.Dsl;

public static partial class CouchbaseViews
{
    /// <summary>The documents read at once by <see cref="IncludeDocuments"/> when no parallelism is given.</summary>
    public const int DefaultDocumentParallelism = 16;

    /// <summary>
    /// A flow that adds each row's document, read through the client's KV path (<c>include_docs</c>, which the
    /// original refused on its asynchronous views): at most <paramref name="parallelism"/> reads at once, rows out
    /// in the order they came in. A document gone since it was indexed gives a row with outcome
    /// <see cref="KvOutcome.NotFound"/>; a read that fails (timeout, node out of reach) gives a row with its
    /// <see cref="ViewDocumentRow.Failure"/>: both stay in the stream. A row without id (reduced) is read for nothing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parallelism"/> is less than 1.</exception>
    public static Flow<ViewRow, ViewDocumentRow, NotUsed> IncludeDocuments(CouchbaseClient client,
        int parallelism = DefaultDocumentParallelism)
    {
        ArgumentNullException.ThrowIfNull(client);
        ViewArguments.Positive(parallelism, nameof(parallelism));
        return Documents(client, parallelism);
    }

    /// <summary>
    /// The query's rows with their documents: <see cref="Query(CouchbaseClient, ViewQuery, ViewSettings?)"/> through
    /// <see cref="IncludeDocuments"/>. The materialized value is the view's metadata.
    /// </summary>
    /// <exception cref="ArgumentException">A parameter or setting cannot be used (nothing is sent).</exception>
    public static Source<ViewDocumentRow, Task<ViewMetadata>> QueryWithDocuments(CouchbaseClient client, ViewQuery query,
        int parallelism = DefaultDocumentParallelism, ViewSettings? settings = null)
    {
        var rows = Query(client, query, settings);
        ViewArguments.Positive(parallelism, nameof(parallelism), query);
        return rows.Via(Documents(client, parallelism));
    }

    private static Flow<ViewRow, ViewDocumentRow, NotUsed> Documents(CouchbaseClient client, int parallelism) =>
        Flow.Create<ViewRow>()
            .SelectAsync(parallelism, row => row.Id is { } id
                ? ReadAsync(client, row, id)
                : Task.FromResult(new ViewDocumentRow(row, null, null)))
            .Named("couchbaseViewDocuments");

    private static async Task<ViewDocumentRow> ReadAsync(CouchbaseClient client, ViewRow row, string id)
    {
        try
        {
            return new ViewDocumentRow(row, await client.GetAsync(id).ConfigureAwait(false), null);
        }
        catch (CouchbaseException e)
        {
            return new ViewDocumentRow(row, null, e);
        }
    }
}
