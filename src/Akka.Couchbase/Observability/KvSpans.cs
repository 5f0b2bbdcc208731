using System.Diagnostics;
using Akka.Couchbase.Pipeline;

namespace Akka.Couchbase.Observability;

/// <summary>
/// One span per caller's KV operation, when a listener of the <c>Akka.Couchbase</c> activity source samples it:
/// from admission to reply, a child of the caller's context (<see cref="Activity.Current"/> on the Task path, the
/// command's <see cref="Kv.Command.TraceParent"/> on the message path). Spans start and stop on actor threads, so
/// <see cref="Activity.Current"/> is put back as it was each time: nothing leaks into the next message.
/// </summary>
internal static class KvSpans
{
    /// <summary>True when some listener wants this client's spans (checked before anything is made).</summary>
    public static bool Wanted => Instruments.Source.HasListeners();

    /// <summary>The parent of a command's span: its explicit parent, else the Task caller's activity, else none.</summary>
    public static ActivityContext ParentOf(Kv.ICommand command, ReplyTarget replyTo)
    {
        if (command is Kv.Command { TraceParent: { } explicitParent }) return explicitParent;
        return replyTo.ReplySink is ITaskSink { CallerActivity: { } caller } ? caller.Context : default;
    }

    /// <summary>Starts the span of <paramref name="request"/> (null when not sampled).</summary>
    public static Activity? Start(KvRequest request, TelemetryEndpoint endpoint, in ActivityContext parent)
    {
        var previous = Activity.Current;
        var name = OperationNames.Of(request.Opcode);
        var activity = Instruments.Source.StartActivity(endpoint.Client.SpanName(request.Opcode), ActivityKind.Client, parent);
        Activity.Current = previous;
        if (activity is null) return null;
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(SemanticTags.DbSystemName, SemanticTags.Couchbase);
            activity.SetTag(SemanticTags.DbOperationName, name);
            activity.SetTag(SemanticTags.DbNamespace, endpoint.Bucket);
            activity.SetTag(SemanticTags.Service, "kv");
            if (request.CollectionPath is { } collection) activity.SetTag("db.collection.name", collection);
        }
        return activity;
    }

    /// <summary>Ends the span of an answered request with what its attempts found.</summary>
    public static void Stop(Activity activity, KvRequest request, TelemetryEndpoint endpoint, string outcome, string? errorType,
        object reply)
    {
        if (activity.IsAllDataRequested)
        {
            if (endpoint.Host is not null)
            {
                activity.SetTag(SemanticTags.ServerAddress, endpoint.Host);
                activity.SetTag(SemanticTags.ServerPort, endpoint.Port);
            }
            activity.SetTag(SemanticTags.VBucket, request.VBucket);
            activity.SetTag(SemanticTags.Attempts, request.Attempts);
            if (request.RetryReasons is { Count: > 0 } reasons) activity.SetTag(SemanticTags.RetryReasons, string.Join(",", reasons));
            if (request.ServerDurationMicros >= 0) activity.SetTag(SemanticTags.ServerDuration, request.ServerDurationMicros);
            activity.SetTag(SemanticTags.Outcome, outcome);
            if (errorType is not null)
            {
                activity.SetTag(SemanticTags.ErrorType, errorType);
                activity.SetStatus(ActivityStatusCode.Error, (reply as Akka.Actor.Status.Failure)?.Cause?.Message);
            }
        }
        var current = Activity.Current;
        activity.Stop();
        Activity.Current = current;
    }
}
