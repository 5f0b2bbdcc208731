using Akka.Actor;

namespace Akka.Couchbase.Pipeline;

/// <summary>
/// The sink of every per-key request of a multi command: one <see cref="MultiResult{T}"/> goes to the caller when the
/// last key is answered (<see cref="PartCollector{T}"/>). Sub-requests complete on different connection actors.
/// </summary>
internal sealed class MultiAggregator<T> : IReplySink where T : KvResult
{
    private readonly PartCollector<T> _parts;

    public MultiAggregator(int count, ReplyTarget replyTo, object? correlationId) =>
        _parts = new PartCollector<T>(count, replyTo, (results, failures) => new MultiResult<T>(results, failures, correlationId));

    /// <summary>Records a failure for a key that never became a request (invalid key, ...).</summary>
    public void Reject(string key, CouchbaseException failure) => _parts.Failed(key, failure);

    public void Deliver(KvRequest? request, object reply)
    {
        var key = request?.Key ?? "";
        switch (reply)
        {
            case T result: _parts.Succeeded(key, result); break;
            case Status.Failure { Cause: CouchbaseException e }: _parts.Failed(key, e); break;
            case Status.Failure f: _parts.Failed(key, new CouchbaseException(f.Cause.Message, inner: f.Cause)); break;
            default: _parts.Failed(key, new CouchbaseException($"unexpected reply {reply.GetType().Name}")); break;
        }
    }
}
