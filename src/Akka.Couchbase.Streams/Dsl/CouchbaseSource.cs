using Akka.Streams.Dsl;

namespace Akka.Couchbase.Streams.Dsl;

/// <summary>KV reads as Akka.Streams sources.</summary>
public static class CouchbaseSource
{
    /// <summary>
    /// The documents of <paramref name="keys"/>, read with up to <see cref="CouchbaseReadSettings.Parallelism"/> gets
    /// in flight and emitted in the keys' order, each with its key as the pass-through value: a missing document is
    /// the outcome NotFound, a key whose get failed a failed result (see <see cref="CouchbaseFlow"/>). The keys are
    /// read only as fast as the consumer takes the documents, so the key sequence may be long or lazy; each
    /// materialization reads them again.
    /// </summary>
    public static Source<CouchbaseResult<GetResult, string>, NotUsed> GetMulti(IEnumerable<string> keys,
        CouchbaseReadSettings? settings = null, CouchbaseClient? client = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return Source.From(keys).Via(CouchbaseFlow.Get(settings, client));
    }
}
