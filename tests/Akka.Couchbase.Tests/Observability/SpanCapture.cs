using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Couchbase.Observability;

namespace Akka.Couchbase.Tests.Observability;

/// <summary>
/// An <see cref="ActivityListener"/> that samples every span of the <c>Akka.Couchbase</c> source and keeps those
/// of one bucket (or, for spans without one, of the given ports) once they stop.
/// </summary>
public sealed class SpanCapture : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public SpanCapture(string bucket, IReadOnlyCollection<string>? ports = null)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CouchbaseTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                var ofBucket = activity.GetTagItem("db.namespace") as string == bucket;
                var ofPorts = ports is not null && ports.Contains(activity.GetTagItem("server.port")?.ToString());
                if (ofBucket || ofPorts) _stopped.Enqueue(activity);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public List<Activity> Stopped => _stopped.ToList();

    public List<Activity> Named(string operation) =>
        _stopped.Where(a => a.GetTagItem("db.operation.name") as string == operation).ToList();

    public void Dispose() => _listener.Dispose();
}
