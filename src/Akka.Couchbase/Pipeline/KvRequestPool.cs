using System.Collections.Concurrent;
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

    /// <summary>A request for <paramref name="command"/> with its key checked and encoded (see <see cref="KvRequest.SetKey"/>).</summary>
    /// <exception cref="KvInvalidArgumentException">The key is not valid (the request is not lost: it goes back to the pool).</exception>
    public KvRequest Rent(Kv.ICommand command, string key, Opcode opcode, TimeSpan timeout, ReplyTarget replyTo)
    {
        if (_free.TryDequeue(out var request))
        {
            Interlocked.Decrement(ref _count);
            request.Initialize(command, key, opcode, timeout, replyTo);
        }
        else
        {
            request = new KvRequest(command, key, opcode, timeout, replyTo);
        }
        try
        {
            request.SetKey(key);
        }
        catch (KvInvalidArgumentException)
        {
            Return(request);
            throw;
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
