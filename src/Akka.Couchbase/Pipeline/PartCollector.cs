namespace Akka.Couchbase.Pipeline;

/// <summary>
/// The one reply made of many parts (a multi command's keys, a STAT's nodes): it counts the parts down as they
/// succeed or fail, on whichever connection thread answers them, and sends the reply once, when the last arrives.
/// </summary>
/// <typeparam name="T">What a successful part holds.</typeparam>
internal sealed class PartCollector<T>
{
    /// <summary>Makes the reply from the parts' results and failures (each keyed by part).</summary>
    public delegate object Reply(IReadOnlyDictionary<string, T> results, IReadOnlyDictionary<string, CouchbaseException> failures);

    private static readonly IReadOnlyDictionary<string, CouchbaseException> NoFailures =
        new System.Collections.ObjectModel.ReadOnlyDictionary<string, CouchbaseException>(new Dictionary<string, CouchbaseException>());

    private readonly object _gate = new();
    private readonly Dictionary<string, T> _results;
    private Dictionary<string, CouchbaseException>? _failures; // made on the first failure
    private readonly ReplyTarget _replyTo;
    private readonly Reply _reply;
    private int _remaining;

    /// <summary>Waits for <paramref name="count"/> parts (none: the reply goes at once).</summary>
    public PartCollector(int count, ReplyTarget replyTo, Reply reply)
    {
        _remaining = count;
        _results = new Dictionary<string, T>(count, StringComparer.Ordinal);
        _replyTo = replyTo;
        _reply = reply;
        if (count == 0) Finish();
    }

    /// <summary>Part <paramref name="part"/> succeeded with <paramref name="result"/>.</summary>
    public void Succeeded(string part, T result) => Record(part, result, null);

    /// <summary>Part <paramref name="part"/> failed.</summary>
    public void Failed(string part, CouchbaseException failure) => Record(part, default, failure);

    private void Record(string part, T? result, CouchbaseException? failure)
    {
        bool done;
        lock (_gate)
        {
            if (failure is null) _results[part] = result!;
            else (_failures ??= new Dictionary<string, CouchbaseException>(StringComparer.Ordinal))[part] = failure;
            done = --_remaining == 0;
        }
        if (done) Finish();
    }

    private void Finish() =>
        _replyTo.Send(_reply(_results, (IReadOnlyDictionary<string, CouchbaseException>?)_failures ?? NoFailures));
}
