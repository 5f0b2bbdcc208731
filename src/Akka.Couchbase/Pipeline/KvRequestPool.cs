using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.Pipeline;

/// <summary>
/// Reuses <see cref="KvRequest"/> objects, the largest per-command allocation. The supervisor rents one for each
/// admitted command; a connection gives it back only at the one point where nothing else can still refer to it:
/// right after answering it from the server's response (it has just left the in-flight table, the supervisor keeps
/// no reference to routed requests, and a reply never refers to its request). Requests answered any other way
/// (timeout, lost connection, refusal, dead letters) are simply left to the garbage collector, so a request is
/// never reused while a stale reference to it may still act on it. Rented on the supervisor's thread, returned
/// on the connections' threads: thread-safe, bounded, and allocation-free once warm.
/// </summary>
internal sealed class KvRequestPool
{
    private readonly ConcurrentQueue<KvRequest> _free = new();
    private readonly int _capacity;
    private int _count;

    public KvRequestPool(int capacity) => _capacity = capacity;

    /// <summary>How many requests wait to be reused (for tests).</summary>
    public int Count => Volatile.Read(ref _count);

    public KvRequest Rent(Kv.ICommand command, string key, int keyLength, Opcode opcode, TimeSpan timeout,
        IActorRef? replyTo, IReplySink? sink)
    {
        if (_free.TryDequeue(out var request))
        {
            Interlocked.Decrement(ref _count);
            request.Initialize(command, key, keyLength, opcode, timeout, replyTo, sink);
        }
        else
        {
            request = new KvRequest(command, key, keyLength, opcode, timeout, replyTo, sink);
        }
        request.Pool = this;
        return request;
    }

    /// <summary>Takes back a request that has been answered and is referred to by nothing else.</summary>
    public void Return(KvRequest request)
    {
        request.Clear();
        if (Interlocked.Increment(ref _count) > _capacity)
        {
            Interlocked.Decrement(ref _count);
            return;
        }
        _free.Enqueue(request);
    }
}
