namespace Akka.Couchbase.Bench;

/// <summary>
/// How a reply counts, on every path: a read of a missing document is a miss; a sub-document reply whose spec
/// failed on its path is an error (the document was read or left unchanged, but not as the workload meant).
/// </summary>
internal static class ReplyCheck
{
    /// <summary>A read (Get or LookupIn) that found no document.</summary>
    public static bool IsMiss(KvResult reply) =>
        reply.Outcome == KvOutcome.NotFound && reply is GetResult or LookupInResult;

    /// <summary>Why <paramref name="reply"/> counts as a failed command, or null when it does not.</summary>
    public static string? Problem(KvResult reply) => reply switch
    {
        LookupInResult { IsSuccess: true } r when r.Entries.Count == 0 || !r.Entries[0].IsSuccess =>
            $"lookup-in of key '{r.Key}': spec 0 answered {(r.Entries.Count == 0 ? "nothing" : r.Entries[0].Status)}",
        MutateInResult { Outcome: KvOutcome.PathFailure } r => $"mutate-in of key '{r.Key}': {r}",
        _ => null,
    };

    /// <summary>
    /// For the async loops: <paramref name="reply"/> itself, or an <see cref="InvalidOperationException"/> carrying
    /// its <see cref="Problem"/>, which the loop counts as a failed command.
    /// </summary>
    public static T Checked<T>(T reply) where T : KvResult =>
        Problem(reply) is { } problem ? throw new InvalidOperationException(problem) : reply;
}
