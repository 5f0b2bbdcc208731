using Akka.Actor;

namespace Akka.Couchbase.Pipeline;

/// <summary>
/// Collects the per-key replies of a multi command and sends one <see cref="MultiResult{T}"/> when the last one
/// arrives. Sub-requests complete on different connection actors, so it is thread-safe.
/// </summary>
internal sealed class MultiAggregator<T> : IReplySink where T : KvResult
{
    private readonly object _gate = new();
    private readonly Dictionary<string, T> _results;
    private static readonly IReadOnlyDictionary<string, CouchbaseException> NoFailures =
        new System.Collections.ObjectModel.ReadOnlyDictionary<string, CouchbaseException>(new Dictionary<string, CouchbaseException>());
    private Dictionary<string, CouchbaseException>? _failures; // made on the first failure
    private readonly IActorRef? _replyTo;
    private readonly IReplySink? _sink;
    private readonly object? _correlationId;
    private int _remaining;

    public MultiAggregator(int count, IActorRef? replyTo, IReplySink? sink, object? correlationId)
    {
        _remaining = count;
        _results = new Dictionary<string, T>(count);
        _replyTo = replyTo;
        _sink = sink;
        _correlationId = correlationId;
        if (count == 0) Finish();
    }

    /// <summary>Records a failure for a key that never became a request (invalid key, ...).</summary>
    public void Reject(string key, CouchbaseException failure) => Record(key, null, failure);

    public void Deliver(KvRequest? request, object reply)
    {
        var key = request?.Key ?? "";
        switch (reply)
        {
            case T result: Record(key, result, null); break;
            case Status.Failure { Cause: CouchbaseException e }: Record(key, null, e); break;
            case Status.Failure f: Record(key, null, new CouchbaseException(f.Cause.Message, inner: f.Cause)); break;
            default: Record(key, null, new CouchbaseException($"unexpected reply {reply.GetType().Name}")); break;
        }
    }

    private void Record(string key, T? result, CouchbaseException? failure)
    {
        bool done;
        lock (_gate)
        {
            if (result is not null) _results[key] = result;
            else (_failures ??= new Dictionary<string, CouchbaseException>())[key] = failure!;
            done = --_remaining == 0;
        }
        if (done) Finish();
    }

    private void Finish()
    {
        var reply = new MultiResult<T>(_results, (IReadOnlyDictionary<string, CouchbaseException>?)_failures ?? NoFailures, _correlationId);
        Replies.Send(_replyTo, _sink, reply);
    }
}
