using System.Diagnostics;
using Akka.Couchbase.Pipeline;

namespace Akka.Couchbase.Observability;

/// <summary>
/// The written requests of one connection that timed out before their reply, by opaque, so that a reply that still
/// comes (an orphaned response) can be reported with what it answered. Bounded: past its capacity the oldest are
/// forgotten (their replies are still counted, only with less detail). Owned by the connection's actor.
/// </summary>
internal sealed class TimedOutRequests
{
    private readonly record struct TimedOut(string OperationName, long Start, double TimeoutMs);

    private readonly int _capacity;
    private readonly Dictionary<uint, TimedOut> _byOpaque = new();
    private readonly Queue<uint> _order = new();

    public TimedOutRequests(int capacity) => _capacity = capacity;

    public void Add(KvRequest request)
    {
        if (_byOpaque.Count >= _capacity && _order.TryDequeue(out var oldest)) _byOpaque.Remove(oldest);
        if (_byOpaque.TryAdd(request.Opaque, new TimedOut(OperationNames.Of(request.Opcode), request.StartTimestamp,
                request.Timeout.TotalMilliseconds)))
            _order.Enqueue(request.Opaque);
    }

    /// <summary>A new connection numbers its requests again: what the old one remembered means nothing on it.</summary>
    public void Clear()
    {
        _byOpaque.Clear();
        _order.Clear();
    }

    /// <summary>The report entry of a response to <paramref name="opaque"/> that came after its request timed out.</summary>
    public ReportEntry Orphan(uint opaque, Protocol.Opcode opcode, double serverMicros, TelemetryEndpoint endpoint)
    {
        var known = _byOpaque.Remove(opaque, out var timedOut);
        return new ReportEntry(
            known ? timedOut.OperationName : OperationNames.Of(opcode),
            known ? KvTelemetry.Micros(Stopwatch.GetTimestamp() - timedOut.Start) : -1,
            ServerMicros: serverMicros,
            RemoteSocket: endpoint.Socket,
            LocalId: endpoint.LocalId,
            OperationId: $"0x{opaque:x}",
            TimeoutMs: known ? timedOut.TimeoutMs : -1);
    }
}
