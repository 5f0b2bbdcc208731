using Akka.Actor;

namespace Akka.Couchbase.Pipeline;

/// <summary>
/// A command sent by the Task facade, and the task its reply completes: one object per call. The reply is handed
/// to <see cref="TaskCompletions"/>, which completes the task on the thread pool (never on the actor that
/// produced the reply), many tasks per pool dispatch.
/// </summary>
internal abstract class TaskSink : IReplySink, INoSerializationVerificationNeeded
{
    protected TaskSink(Kv.ICommand command) => Command = command;

    /// <summary>The command this task waits for.</summary>
    public Kv.ICommand Command { get; }

    /// <summary>The caller's <see cref="System.Diagnostics.Activity.Current"/>, kept while spans are wanted: the parent of the command's spans.</summary>
    public System.Diagnostics.Activity? CallerActivity { get; set; }

    public abstract void Deliver(KvRequest? request, object reply);
}

/// <summary>Completes a task with the reply: the result, or the failure's exception.</summary>
internal sealed class TaskSink<T> : TaskSink, IBatchedCompletion
{
    // No RunContinuationsAsynchronously: CompleteNow runs on a pool thread owned by TaskCompletions.
    private readonly TaskCompletionSource<T> _completion = new();

    public TaskSink(Kv.ICommand command) : base(command) { }

    public Task<T> Task => _completion.Task;

    public override void Deliver(KvRequest? request, object reply) => TaskCompletions.Post(this, reply, request?.Key);

    /// <summary>Cancels the task (through the same queue, so the canceller's thread does not run continuations).</summary>
    public void Cancel() => TaskCompletions.Post(this, CancelledReply.Instance, null);

    public void CompleteNow(object reply)
    {
        switch (reply)
        {
            case T result:
                _completion.TrySetResult(result);
                break;
            case Status.Failure failure:
                _completion.TrySetException(failure.Cause);
                break;
            case CancelledReply:
                _completion.TrySetCanceled();
                break;
            default:
                _completion.TrySetException(new CouchbaseException(
                    $"expected a {typeof(T).Name} reply but got {reply.GetType().Name}"));
                break;
        }
    }

    private sealed class CancelledReply
    {
        public static readonly CancelledReply Instance = new();
    }
}
