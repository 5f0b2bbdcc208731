using Akka.Actor;

namespace Akka.Couchbase.Actors;

/// <summary>Completes a task with the reply: the result, or the failure's exception.</summary>
internal sealed class TaskSink<T> : TaskCompletionSource<T>, IReplySink
{
    public TaskSink() : base(TaskCreationOptions.RunContinuationsAsynchronously) { }

    public void Deliver(KvRequest? request, object reply)
    {
        switch (reply)
        {
            case T result:
                TrySetResult(result);
                break;
            case Status.Failure failure:
                TrySetException(failure.Cause);
                break;
            default:
                TrySetException(new CouchbaseException(
                    $"expected a {typeof(T).Name} reply but got {reply.GetType().Name}"));
                break;
        }
    }
}
