namespace Akka.Couchbase.Observability;

/// <summary>
/// One operation of a slow-operation or orphan report, with its timings in microseconds (-1: not known): total
/// (admission to reply), queued (admission to its last write to the socket), dispatched (that write to the
/// response), server (the node's own time, HELLO Tracing).
/// </summary>
internal sealed record ReportEntry(
    string OperationName,
    double TotalMicros,
    double QueuedMicros = -1,
    double DispatchMicros = -1,
    double ServerMicros = -1,
    string? RemoteSocket = null,
    string? LocalId = null,
    string? OperationId = null,
    double TimeoutMs = -1,
    int Attempts = 0,
    string? RetryReasons = null);
