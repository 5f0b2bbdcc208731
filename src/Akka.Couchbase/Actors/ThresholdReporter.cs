using Akka.Actor;
using Akka.Couchbase.Observability;
using Akka.Event;

namespace Akka.Couchbase.Actors;

/// <summary>
/// Logs, every <c>observability.threshold-interval</c>, what one client's operations left for its reports since the
/// last time (docs/observability.md): the slowest operations over their service's threshold as one JSON line
/// (<c>Slow operations: {...}</c>), and the responses that came after their operation timed out as another
/// (<c>Orphaned responses: {...}</c>). An interval without any logs nothing. It only reads what the request path
/// collected (<see cref="TopRequests"/>): it never waits, and nothing waits for it.
/// </summary>
internal sealed class ThresholdReporter : UntypedActor, IWithTimers
{
    private sealed class Report : INoSerializationVerificationNeeded
    {
        public static readonly Report Instance = new();
    }

    private readonly ClientTelemetry _telemetry;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ThresholdReporter(ClientTelemetry telemetry) => _telemetry = telemetry;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ClientTelemetry telemetry, string dispatcher) =>
        Akka.Actor.Props.Create(() => new ThresholdReporter(telemetry)).WithDispatcher(dispatcher);

    protected override void PreStart() =>
        Timers.StartPeriodicTimer("report", Report.Instance, _telemetry.Settings.ThresholdInterval);

    protected override void OnReceive(object message)
    {
        if (message is not Report)
        {
            Unhandled(message);
            return;
        }
        var slow = new List<(string, long, IReadOnlyList<ReportEntry>)>(2);
        if (_telemetry.KvSlow?.Drain() is { } kv) slow.Add(("kv", kv.Count, kv.Top));
        if (_telemetry.ViewsSlow?.Drain() is { } views) slow.Add(("views", views.Count, views.Top));
        if (slow.Count > 0) _log.Warning("Slow operations: {0}", ReportJson.Write(slow));
        if (_telemetry.Orphans?.Drain() is { } orphans)
            _log.Warning("Orphaned responses: {0}", ReportJson.Write(new[] { ("kv", orphans.Count, orphans.Top) }));
    }
}
