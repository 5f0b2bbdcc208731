using Akka.Actor;

namespace Akka.Couchbase.Chaos.Ledger;

/// <summary>What one command's reply said, as the ledger counts it.</summary>
internal enum Outcome : byte
{
    /// <summary>No reply yet.</summary>
    Pending,
    Success,
    /// <summary>An expected non-success outcome: NotFound, Exists, NotStored, CasMismatch, Locked, NotLocked.</summary>
    Miss,
    Timeout,
    Ambiguous,
    Unavailable,
    Overloaded,
    /// <summary>A temporary server error (ETMPFAIL, EBUSY, ENOMEM...), reported and not retried.</summary>
    Temporary,
    ServerError,
    InvalidArgument,
    Protocol,
    Durability,
    Authentication,
    /// <summary>A failure that is not a <see cref="CouchbaseException"/>, or a reply of an unexpected type.</summary>
    Other,
}

/// <summary>Whether a mutation with that outcome took effect, as the client's contract (docs/failures.md) says.</summary>
internal enum Applied : byte
{
    Yes,
    No,
    /// <summary>May or may not have been applied (ambiguous, timed out, unanswered).</summary>
    Unknown,
}

internal static class Outcomes
{
    public static readonly Outcome[] All = Enum.GetValues<Outcome>();

    public static string Name(Outcome o) => o switch
    {
        Outcome.InvalidArgument => "invalid",
        Outcome.ServerError => "server-error",
        _ => o.ToString().ToLowerInvariant(),
    };

    /// <summary>The outcome of a result (a reply that reached the server and came back).</summary>
    public static Outcome Of(KvResult result) => result.Outcome == KvOutcome.Success ? Outcome.Success : Outcome.Miss;

    /// <summary>The outcome of a failure, from the exception type (the contract's categories).</summary>
    public static Outcome Of(Exception? cause) => cause switch
    {
        KvTimeoutException => Outcome.Timeout,
        KvAmbiguousException => Outcome.Ambiguous,
        KvNodeUnavailableException => Outcome.Unavailable,
        KvOverloadedException => Outcome.Overloaded,
        KvServerErrorException s => s.IsTemporary ? Outcome.Temporary : Outcome.ServerError,
        KvInvalidArgumentException => Outcome.InvalidArgument,
        KvProtocolException => Outcome.Protocol,
        KvDurabilityException => Outcome.Durability,
        KvAuthenticationException => Outcome.Authentication,
        AggregateException { InnerExceptions.Count: 1 } a => Of(a.InnerExceptions[0]),
        _ => Outcome.Other,
    };

    /// <summary>The outcome of any reply message a Tell sender can receive.</summary>
    public static Outcome Of(object reply) => reply switch
    {
        KvResult r => Of(r),
        // A multi command's own reply never fails (each key's failure is inside it).
        MultiResult<GetResult> => Outcome.Success,
        Status.Failure f => Of(f.Cause),
        _ => Outcome.Other,
    };

    /// <summary>
    /// docs/failures.md: a result means the server executed it (Success) or refused it with an outcome (not applied);
    /// NodeUnavailable = never written; Overloaded = refused at once; a server error = the server did not execute it;
    /// invalid = refused. Timeouts, ambiguous and protocol failures of mutations may or may not have been applied.
    /// </summary>
    public static Applied AppliedOf(Outcome o) => o switch
    {
        Outcome.Success or Outcome.Durability => Applied.Yes,
        Outcome.Miss or Outcome.Unavailable or Outcome.Overloaded or Outcome.Temporary or Outcome.ServerError
            or Outcome.InvalidArgument or Outcome.Authentication => Applied.No,
        _ => Applied.Unknown,
    };
}
