using Akka.Actor;
using Akka.Couchbase.Chaos.Ledger;

namespace Akka.Couchbase.Chaos.Load;

/// <summary>
/// The convenient path: one async loop that keeps a window of Task facade calls outstanding (GetAsync, UpsertAsync,
/// AppendAsync, ...). Its calls are made one after another, so its own keys' commands reach the supervisor in the
/// order sent; a synchronous continuation records each completion in the order the client completes the tasks, which
/// for one key must be the order of the replies (docs/ordering.md, the Task facade).
/// </summary>
internal sealed class TaskLane
{
    private readonly Owner _owner;
    private readonly CommandMix _mix;
    private readonly CouchbaseClient _client;
    private readonly SemaphoreSlim _window;

    public TaskLane(Owner owner, CommandMix mix, CouchbaseClient client)
    {
        _owner = owner;
        _mix = mix;
        _client = client;
        _window = new SemaphoreSlim(owner.Slots, owner.Slots);
    }

    public Owner Owner => _owner;

    public async Task RunAsync(CancellationToken stop)
    {
        await Task.Yield();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _window.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            Pending p;
            lock (_owner.Sync) p = _mix.Next(_owner);
            Task task;
            try
            {
                task = Call(p);
            }
            catch (Exception e)
            {
                task = Task.FromException(e);
            }
            p.Value = null;
            _ = task.ContinueWith(static (t, state) => ((TaskLane)((object[])state!)[0]).Completed((Pending)((object[])state!)[1], t),
                new object[] { this, p }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private Task Call(Pending p) => p.OwnTimeout ? Send(p) : p.Op switch
    {
        Op.Get => _client.GetAsync(p.Key),
        Op.Upsert => _client.UpsertAsync(p.Key, p.Value),
        Op.Insert => _client.InsertAsync(p.Key, p.Value),
        Op.Remove => _client.RemoveAsync(p.Key),
        Op.Increment => _client.IncrementAsync(p.Key, initial: p.WithInitial ? 0 : null),
        Op.Decrement => _client.DecrementAsync(p.Key, initial: p.WithInitial ? 0 : null),
        Op.Append => _client.AppendAsync(p.Key, p.Value!),
        Op.GetMulti => _client.GetMultiAsync(p.Keys!),
        _ => throw new InvalidOperationException($"no call for {p.Op}"),
    };

    // A command with its own timeout: the facade's SendAsync with the message itself.
    private Task Send(Pending p)
    {
        var command = Commands.Of(p, p.Id);
        return p.Op switch
        {
            Op.Get => _client.SendAsync<GetResult>(command),
            Op.Increment or Op.Decrement => _client.SendAsync<CounterResult>(command),
            Op.GetMulti => _client.SendAsync<MultiResult<GetResult>>(command),
            _ => _client.SendAsync<MutationResult>(command),
        };
    }

    private void Completed(Pending p, Task task)
    {
        object reply = task.Status switch
        {
            TaskStatus.RanToCompletion => ResultOf(task),
            TaskStatus.Faulted => new Status.Failure(task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerExceptions[0] : task.Exception),
            _ => new Status.Failure(new TaskCanceledException("the task was cancelled")),
        };
        try
        {
            lock (_owner.Sync) _owner.Complete(p.Id, reply);
        }
        catch (Exception e)
        {
            _owner.Violations.Add(ViolationKind.HarnessError, $"{_owner.Name}: recording a reply: {e}");
        }
        finally
        {
            _window.Release();
        }
    }

    // The task has completed: reading its result does not block.
    private static object ResultOf(Task task) => task switch
    {
        Task<GetResult> t => t.Result,
        Task<MutationResult> t => t.Result,
        Task<CounterResult> t => t.Result,
        Task<MultiResult<GetResult>> t => t.Result,
        _ => new Status.Failure(new InvalidOperationException($"a {task.GetType().Name}")),
    };
}
