using Akka.Actor;

namespace Akka.Couchbase.Pipeline;

/// <summary>
/// A command sent by the Task facade together with the task its reply completes. The reply is handed to
/// <see cref="TaskCompletions"/>, which completes the task on the thread pool (never on the actor that produced the
/// reply), many tasks per pool dispatch.
/// </summary>
internal interface ITaskSink : IReplySink, INoSerializationVerificationNeeded
{
    /// <summary>The command this task waits for.</summary>
    Kv.ICommand Command { get; }

    /// <summary>The caller's <see cref="System.Diagnostics.Activity.Current"/>, kept while spans are wanted: the parent of the command's spans.</summary>
    System.Diagnostics.Activity? CallerActivity { get; }
}

/// <summary>
/// Completes a task with the reply: the result, or the failure's exception. The sink is its own
/// <see cref="TaskCompletionSource{TResult}"/>, so that a call allocates the sink and its task, nothing more.
/// No <c>RunContinuationsAsynchronously</c>: <see cref="CompleteNow"/> runs on a pool thread owned by
/// <see cref="TaskCompletions"/>.
/// </summary>
internal abstract class TaskSinkBase<T> : TaskCompletionSource<T>, ITaskSink, IBatchedCompletion
{
    /// <inheritdoc />
    public abstract Kv.ICommand Command { get; }

    /// <inheritdoc />
    public abstract System.Diagnostics.Activity? CallerActivity { get; }

    public void Deliver(KvRequest? request, object reply) => TaskCompletions.Post(this, reply, request?.Key);

    /// <summary>Cancels the task (through the same queue, so the canceller's thread does not run continuations).</summary>
    public void Cancel() => TaskCompletions.Post(this, CancelledReply.Instance, null);

    public void CompleteNow(object reply)
    {
        switch (reply)
        {
            case T result:
                TrySetResult(result);
                break;
            case Status.Failure failure:
                TrySetException(failure.Cause);
                break;
            case CancelledReply:
                TrySetCanceled();
                break;
            default:
                TrySetException(new CouchbaseException(
                    $"expected a {typeof(T).Name} reply but got {reply.GetType().Name}"));
                break;
        }
    }

    private sealed class CancelledReply
    {
        public static readonly CancelledReply Instance = new();
    }
}

/// <summary>The task of any command sent through <see cref="CouchbaseClient.SendAsync{TReply}"/>.</summary>
internal sealed class TaskSink<T> : TaskSinkBase<T>
{
    private System.Diagnostics.Activity? _callerActivity;

    public TaskSink(Kv.ICommand command) => Command = command;

    /// <inheritdoc />
    public override Kv.ICommand Command { get; }

    /// <inheritdoc />
    public override System.Diagnostics.Activity? CallerActivity => _callerActivity;

    /// <summary>Keeps the caller's activity (while spans are wanted).</summary>
    public void KeepCallerActivity(System.Diagnostics.Activity? activity) => _callerActivity = activity;
}
