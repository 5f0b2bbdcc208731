using Akka.Actor;

namespace Akka.Couchbase.Streams.Dsl;

/// <summary>Reads the correlation id of whatever the supervisor replies to a <see cref="Kv"/> command.</summary>
internal static class KvReplies
{
    /// <summary>The reply's correlation id, or null when the reply carries none (or is not a reply at all).</summary>
    public static object? CorrelationIdOf(object reply) => reply switch
    {
        KvResult r => r.CorrelationId,
        Status.Failure f => (f.Cause as CouchbaseException)?.CorrelationId,
        MultiResult<GetResult> m => m.CorrelationId,
        MultiResult<MutationResult> m => m.CorrelationId,
        MultiResult<KvResult> m => m.CorrelationId,
        Kv.StatsResult s => s.CorrelationId,
        Kv.Diagnostics d => d.CorrelationId,
        Kv.Connected c => c.CorrelationId,
        _ => null,
    };

    /// <summary>
    /// <paramref name="command"/> with <paramref name="correlationId"/> as its correlation id (a copy: commands are
    /// immutable records).
    /// </summary>
    /// <exception cref="ArgumentException">The command is not one of the <see cref="Kv"/> records.</exception>
    public static Kv.ICommand WithCorrelationId(Kv.ICommand command, object correlationId) => command switch
    {
        null => throw new ArgumentNullException(nameof(command), "the command function returned null"),
        Kv.Command c => c with { CorrelationId = correlationId },
        _ => throw new ArgumentException(
            $"{command.GetType().Name} is not a Kv command record (Kv.Command): the flow cannot give it a correlation id", nameof(command)),
    };
}
