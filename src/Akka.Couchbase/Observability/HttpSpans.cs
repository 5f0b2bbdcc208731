using System.Diagnostics;

namespace Akka.Couchbase.Observability;

/// <summary>Spans of the client's HTTP requests: view queries and the cluster map stream of the HTTP bootstrap.</summary>
internal static class HttpSpans
{
    /// <summary>
    /// Starts a client span named <paramref name="operation"/> for a request to <paramref name="uri"/> (null when
    /// nobody samples it). Call it inside an async method: <see cref="Activity.Current"/> is then its caller's again
    /// when the method returns, and HTTP's own spans become its children.
    /// </summary>
    public static Activity? Start(string operation, string service, Uri uri, string? bucket)
    {
        if (!Instruments.Source.HasListeners()) return null;
        var activity = Instruments.Source.StartActivity(bucket is null ? operation : operation + " " + bucket, ActivityKind.Client);
        if (activity is not { IsAllDataRequested: true }) return activity;
        activity.SetTag(SemanticTags.DbSystemName, SemanticTags.Couchbase);
        activity.SetTag(SemanticTags.DbOperationName, operation);
        if (bucket is not null) activity.SetTag(SemanticTags.DbNamespace, bucket);
        activity.SetTag(SemanticTags.Service, service);
        activity.SetTag(SemanticTags.ServerAddress, uri.IdnHost);
        activity.SetTag(SemanticTags.ServerPort, uri.Port);
        activity.SetTag("url.path", uri.AbsolutePath);
        return activity;
    }

    /// <summary>Ends <paramref name="activity"/>: with an HTTP status, or with the exception that ended it.</summary>
    public static void Stop(Activity? activity, int? status, Exception? error = null)
    {
        if (activity is null) return;
        if (status is { } code) activity.SetTag("http.response.status_code", code);
        if (error is not null)
        {
            activity.SetTag(SemanticTags.ErrorType, error.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error, error.Message);
        }
        else if (status >= 400)
        {
            activity.SetTag(SemanticTags.ErrorType, status.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            activity.SetStatus(ActivityStatusCode.Error);
        }
        activity.Stop();
    }
}
