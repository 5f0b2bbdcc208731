using System.Diagnostics;
using Akka.Couchbase.Pipeline;

namespace Akka.Couchbase.Observability;

/// <summary>
/// What a caller's KV request tells when it is answered: its duration (admission to reply) by operation and
/// outcome, timeouts and ambiguous failures. Runs on the thread of whichever actor answers the request; with
/// nothing listening it costs a few field checks, and it never allocates.
/// </summary>
internal static class KvTelemetry
{
    /// <summary>The <c>couchbase.outcome</c> of each <see cref="KvOutcome"/>, made once.</summary>
    private static readonly string[] Outcomes = Enum.GetValues<KvOutcome>()
        .Select(o => OperationNames.SnakeCase(o.ToString())).ToArray();

    internal const string ErrorOutcome = "error";

    /// <summary>The outcome attribute of <paramref name="reply"/>, and its error type when it is a failure.</summary>
    internal static string OutcomeOf(object reply, out string? errorType)
    {
        errorType = null;
        switch (reply)
        {
            case KvResult result:
                var index = (int)result.Outcome;
                return (uint)index < (uint)Outcomes.Length ? Outcomes[index] : ErrorOutcome;
            case Akka.Actor.Status.Failure failure:
                errorType = failure.Cause?.GetType().FullName ?? "unknown";
                return ErrorOutcome;
            default:
                return Outcomes[0];
        }
    }

    /// <summary>Records the answered <paramref name="request"/>; <paramref name="reply"/> is what its caller gets.</summary>
    public static void Completed(KvRequest request, TelemetryEndpoint endpoint, object reply)
    {
        var duration = Instruments.OperationDuration;
        var failed = reply is Akka.Actor.Status.Failure;
        var activity = request.Activity;
        if (endpoint.Client.KvSlow is { } slow)
        {
            var now = Stopwatch.GetTimestamp();
            if (now - request.StartTimestamp >= endpoint.Client.KvThresholdTicks) slow.Offer(Entry(request, endpoint, now));
        }
        if (!duration.Enabled && !failed && activity is null) return;
        var outcome = OutcomeOf(reply, out var errorType);
        if (activity is not null)
        {
            request.Activity = null;
            KvSpans.Stop(activity, request, endpoint, outcome, errorType, reply);
        }
        if (!duration.Enabled && !failed) return;
        var tags = endpoint.Tags();
        tags.Add(SemanticTags.DbOperationName, OperationNames.Of(request.Opcode));
        if (failed)
        {
            var cause = ((Akka.Actor.Status.Failure)reply).Cause;
            if (cause is KvTimeoutException && Instruments.Timeouts.Enabled) Instruments.Timeouts.Add(1, tags);
            if (cause is KvAmbiguousException && Instruments.Ambiguous.Enabled) Instruments.Ambiguous.Add(1, tags);
        }
        if (!duration.Enabled) return;
        tags.Add(SemanticTags.Outcome, outcome);
        if (errorType is not null) tags.Add(SemanticTags.ErrorType, errorType);
        duration.Record(Stopwatch.GetElapsedTime(request.StartTimestamp).TotalSeconds, tags);
    }

    /// <summary>The report entry of <paramref name="request"/>, answered at <paramref name="now"/>.</summary>
    internal static ReportEntry Entry(KvRequest request, TelemetryEndpoint endpoint, long now)
    {
        var dispatched = request.DispatchTimestamp;
        return new ReportEntry(
            OperationNames.Of(request.Opcode),
            Micros(now - request.StartTimestamp),
            dispatched > 0 ? Micros(dispatched - request.StartTimestamp) : -1,
            dispatched > 0 ? Micros(now - dispatched) : -1,
            request.ServerDurationMicros,
            endpoint.Socket,
            endpoint.LocalId,
            request.Opaque == 0 ? null : $"0x{request.Opaque:x}",
            request.Timeout.TotalMilliseconds,
            request.Attempts,
            request.RetryReasons is { Count: > 0 } reasons ? string.Join(",", reasons) : null);
    }

    /// <summary>Stopwatch ticks in microseconds.</summary>
    internal static double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    /// <summary>Adds <paramref name="count"/> to <paramref name="counter"/> with the endpoint's attributes, if anyone listens.</summary>
    public static void Count(System.Diagnostics.Metrics.Counter<long> counter, TelemetryEndpoint endpoint, long count = 1)
    {
        if (counter.Enabled) counter.Add(count, endpoint.Tags());
    }
}
