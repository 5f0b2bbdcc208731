using System.Diagnostics;

namespace Akka.Couchbase.Observability;

/// <summary>
/// What a view query tells when it ends: its duration (<c>db.client.operation.duration</c>, <c>view_query</c>), and,
/// over <c>views-threshold</c>, an entry of the slow-operation report of the clients of its bucket; and the rows
/// streamed to consumers (<c>couchbase.views.rows</c>).
/// </summary>
internal static class ViewTelemetry
{
    /// <summary>
    /// Counts <paramref name="rows"/> view rows handed to a consumer. Akka.Couchbase.Streams calls it for each row its
    /// view source pushes.
    /// </summary>
    public static void RowsStreamed(long rows = 1)
    {
        if (Instruments.ViewRows.Enabled)
            Instruments.ViewRows.Add(rows, new KeyValuePair<string, object?>(SemanticTags.DbSystemName, SemanticTags.Couchbase));
    }

    /// <summary>The query to <paramref name="uri"/>, begun at <paramref name="start"/>, ended (<paramref name="error"/>: why not well).</summary>
    public static void Completed(Uri uri, long start, int? status, object? error)
    {
        var ticks = Stopwatch.GetTimestamp() - start;
        var elapsed = Stopwatch.GetElapsedTime(start, start + ticks);
        var bucket = uri.Segments.Length > 1 ? Uri.UnescapeDataString(uri.Segments[1].TrimEnd('/')) : "";
        if (Instruments.OperationDuration.Enabled)
        {
            var tags = new TagList
            {
                { SemanticTags.DbSystemName, SemanticTags.Couchbase },
                { SemanticTags.DbNamespace, bucket },
                { SemanticTags.DbOperationName, ViewRequestHandler.Operation },
                { SemanticTags.ServerAddress, uri.IdnHost },
                { SemanticTags.ServerPort, uri.Port },
                { SemanticTags.Outcome, error is null && status is < 400 ? "success" : KvTelemetry.ErrorOutcome },
            };
            if (error is not null || status >= 400)
                tags.Add(SemanticTags.ErrorType, error is Exception e ? e.GetType().FullName : error?.ToString() ?? status.ToString());
            Instruments.OperationDuration.Record(elapsed.TotalSeconds, tags);
        }
        foreach (var client in ClientTelemetry.OfBucket(bucket))
        {
            if (client.ViewsSlow is not { } slow || ticks < client.ViewsThresholdTicks) continue;
            slow.Offer(new ReportEntry(ViewRequestHandler.Operation, elapsed.TotalMicroseconds,
                RemoteSocket: Routing.HostPort.Format(uri.IdnHost, uri.Port), OperationId: uri.AbsolutePath));
        }
    }
}
