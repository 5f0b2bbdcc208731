namespace Akka.Couchbase.Streams.Dsl;

/// <summary>
/// What a KV flow emits for one element: the command it sent, its reply or its genuine failure (exactly one of
/// <see cref="Result"/> and <see cref="Failure"/> is set), and the caller's <see cref="PassThrough"/> value (the
/// element the command was made from), in the order the elements came in.
/// <para>
/// Expected outcomes (a miss, an existing key, a CAS mismatch, a path failure) are results: <see cref="Result"/> is
/// set and <see cref="Outcome"/> says which. A genuine failure (timeout, node unavailable, ambiguous write, server
/// error, ...) is <see cref="Failure"/>, unless the stream's supervision strategy stopped the stream instead
/// (<c>docs/streams.md</c>).
/// </para>
/// <para>
/// The flow numbers its commands through their correlation id: <see cref="Command"/> and <see cref="Result"/> carry
/// the flow's own id, not one the caller set. Carry your own data in the pass-through value.
/// </para>
/// <para>
/// A <see cref="GetResult"/> emitted downstream is handed on with its ownership: with value pooling on
/// (<c>akka.couchbase.value-pooling</c>), the stage that is done with its value disposes it (see
/// <see cref="GetResult"/>); one never disposed is simply collected.
/// </para>
/// </summary>
/// <typeparam name="TResult">The reply type: <see cref="GetResult"/>, <see cref="MutationResult"/>, <see cref="MutateInResult"/>, or what the generic flow was asked for.</typeparam>
/// <typeparam name="TPassThrough">The caller's value that travels with the element.</typeparam>
public sealed record CouchbaseResult<TResult, TPassThrough> where TResult : class
{
    /// <summary>A reply: the command reached the server and came back with a result (any outcome).</summary>
    public CouchbaseResult(Kv.ICommand command, TResult result, TPassThrough passThrough)
    {
        Command = command ?? throw new ArgumentNullException(nameof(command));
        Result = result ?? throw new ArgumentNullException(nameof(result));
        PassThrough = passThrough;
    }

    /// <summary>A genuine failure of the command.</summary>
    public CouchbaseResult(Kv.ICommand command, CouchbaseException failure, TPassThrough passThrough)
    {
        Command = command ?? throw new ArgumentNullException(nameof(command));
        Failure = failure ?? throw new ArgumentNullException(nameof(failure));
        PassThrough = passThrough;
    }

    /// <summary>The command sent for the element (with the flow's correlation id).</summary>
    public Kv.ICommand Command { get; }

    /// <summary>The reply; null when the command failed (<see cref="Failure"/>).</summary>
    public TResult? Result { get; }

    /// <summary>Why the command failed; null when it was answered (<see cref="Result"/>).</summary>
    public CouchbaseException? Failure { get; }

    /// <summary>The caller's value, unchanged.</summary>
    public TPassThrough PassThrough { get; }

    /// <summary>The document's key, for commands on one key; null otherwise.</summary>
    public string? Key => (Command as Kv.KeyCommand)?.Key;

    /// <summary>True when the command failed genuinely (<see cref="Failure"/> is set).</summary>
    public bool IsFailure => Failure is not null;

    /// <summary>The outcome of a <see cref="KvResult"/> reply; null for a failure or a reply of another kind.</summary>
    public KvOutcome? Outcome => (Result as KvResult)?.Outcome;

    /// <summary>
    /// True when the command did what it asked: a <see cref="KvResult"/> with outcome Success, a
    /// <see cref="MultiResult{T}"/> in which every key succeeded, or any other reply; false for other outcomes and
    /// for failures.
    /// </summary>
    public bool IsSuccess => Result switch
    {
        null => false,
        KvResult r => r.IsSuccess,
        MultiResult<GetResult> m => m.AllSucceeded,
        MultiResult<MutationResult> m => m.AllSucceeded,
        MultiResult<KvResult> m => m.AllSucceeded,
        _ => true,
    };

    /// <summary>The reply, or the failure thrown.</summary>
    /// <exception cref="CouchbaseException">The command failed.</exception>
    public TResult GetResultOrThrow() => Result ?? throw Failure!;

    /// <inheritdoc />
    public override string ToString() => Failure is not null
        ? $"CouchbaseResult({Command.GetType().Name} {Key}: failed, {Failure.GetType().Name}: {Failure.Message})"
        : $"CouchbaseResult({Command.GetType().Name} {Key}: {Result})";
}
