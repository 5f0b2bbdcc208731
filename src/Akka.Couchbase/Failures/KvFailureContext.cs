using System.Text;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase;

/// <summary>What a person needs to act on a failure: which command, where, how long, how busy.</summary>
/// <param name="Operation">The command's opcode.</param>
/// <param name="Key">The document key.</param>
/// <param name="Node">The node ("host:port") the command was routed to, if any.</param>
/// <param name="VBucket">The vBucket, for Couchbase buckets.</param>
/// <param name="Status">The last status the server sent for it, if any.</param>
/// <param name="Elapsed">Time since the supervisor received the command.</param>
/// <param name="Timeout">The command's deadline.</param>
/// <param name="Attempts">How many times it was dispatched.</param>
/// <param name="RetryReasons">Why it was dispatched again, in order.</param>
/// <param name="InFlight">Requests written and unanswered on its connection at the time.</param>
/// <param name="QueueDepth">Requests waiting to be written on its connection (or in the backlog) at the time.</param>
/// <param name="CorrelationId">The command's correlation id.</param>
public sealed record KvFailureContext(
    Opcode Operation, string Key, string? Node, int? VBucket, KvStatus? Status, TimeSpan Elapsed, TimeSpan Timeout,
    int Attempts, IReadOnlyList<string> RetryReasons, int InFlight, int QueueDepth, object? CorrelationId)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("op=").Append(Operation).Append(", key='").Append(Key).Append('\'');
        sb.Append(", node=").Append(Node ?? "<none>");
        if (VBucket is { } vb) sb.Append(", vb=").Append(vb);
        if (Status is { } st) sb.Append(", status=").Append(st.Describe());
        sb.Append(", elapsed=").Append((long)Elapsed.TotalMilliseconds).Append("ms");
        sb.Append(", timeout=").Append((long)Timeout.TotalMilliseconds).Append("ms");
        sb.Append(", attempts=").Append(Attempts);
        if (RetryReasons.Count > 0) sb.Append(", retried=").Append(string.Join("|", RetryReasons));
        sb.Append(", in-flight=").Append(InFlight).Append(", queued=").Append(QueueDepth);
        if (CorrelationId is not null) sb.Append(", correlation-id=").Append(CorrelationId);
        return sb.ToString();
    }
}
