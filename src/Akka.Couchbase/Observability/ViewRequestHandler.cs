using System.Diagnostics;

namespace Akka.Couchbase.Observability;

/// <summary>
/// The telemetry of view queries, as a handler of the views' HTTP client: one span per HTTP request (a retried
/// query has one per attempt), its duration in <c>db.client.operation.duration</c> (<c>db.operation.name</c>
/// <c>view_query</c>), and slow queries offered to the threshold report. A query's time runs from the request
/// to the end of its response's body (or to its disposal, for a stream stopped early).
/// </summary>
internal sealed class ViewRequestHandler : DelegatingHandler
{
    internal const string Operation = "view_query";

    public ViewRequestHandler(HttpMessageHandler inner) : base(inner) { }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var start = Stopwatch.GetTimestamp();
        var activity = HttpSpans.Start(Operation, "views", uri, bucket: null);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            HttpSpans.Stop(activity, null, e);
            ViewTelemetry.Completed(uri, start, null, e);
            throw;
        }
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            HttpSpans.Stop(activity, status);
            ViewTelemetry.Completed(uri, start, status, null);
            return response;
        }
        response.Content = new ObservedContent(response.Content, completed =>
        {
            HttpSpans.Stop(activity, status, completed ? null : new OperationCanceledException("the view response was closed before its end"));
            ViewTelemetry.Completed(uri, start, status, completed ? null : "cancelled");
        });
        return response;
    }
}
