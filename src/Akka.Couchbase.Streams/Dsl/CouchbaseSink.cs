using Akka.Streams.Dsl;

namespace Akka.Couchbase.Streams.Dsl;

/// <summary>
/// KV writes as Akka.Streams sinks: the flows of <see cref="CouchbaseFlow"/> run to their end. Each sink's
/// <see cref="Task{Done}"/> completes once upstream completed and every element's command was answered.
/// <para>
/// Expected outcomes (Exists for an insert, NotFound for a replace or remove, CasMismatch, PathFailure) are answers,
/// not failures: the sink goes on (use a flow to act on them). A genuine failure (timeout, node unavailable,
/// ambiguous write...) fails the stream and the task at once, unless the stream's supervision strategy says Resume
/// or Restart: then the failure is logged as a warning and the sink goes on. Unlike the flows, whose default keeps
/// failures in the stream for the caller to see, a sink stops by default: it has nobody to show a failure to.
/// </para>
/// </summary>
public static class CouchbaseSink
{
    /// <summary>Stores each element's document whether or not it exists (<see cref="Kv.Upsert"/>).</summary>
    public static Sink<TIn, Task<Done>> Upsert<TIn>(Func<TIn, string> key, Func<TIn, object?> value,
        CouchbaseWriteSettings? settings = null, CouchbaseClient? client = null) =>
        Run(CouchbaseFlow.Write<TIn, MutationResult>(KvWrites.Upsert(key, value), settings, client, stopWithoutChoice: true));

    /// <summary>Stores each element's document only if it does not exist (<see cref="Kv.Insert"/>; an existing one is left as it is).</summary>
    public static Sink<TIn, Task<Done>> Insert<TIn>(Func<TIn, string> key, Func<TIn, object?> value,
        CouchbaseWriteSettings? settings = null, CouchbaseClient? client = null) =>
        Run(CouchbaseFlow.Write<TIn, MutationResult>(KvWrites.Insert(key, value), settings, client, stopWithoutChoice: true));

    /// <summary>Replaces each element's document only if it exists (<see cref="Kv.Replace"/>); with <paramref name="cas"/>, only that version.</summary>
    public static Sink<TIn, Task<Done>> Replace<TIn>(Func<TIn, string> key, Func<TIn, object?> value,
        Func<TIn, ulong>? cas = null, CouchbaseWriteSettings? settings = null, CouchbaseClient? client = null) =>
        Run(CouchbaseFlow.Write<TIn, MutationResult>(KvWrites.Replace(key, value, cas), settings, client, stopWithoutChoice: true));

    /// <summary>Removes each element's document (<see cref="Kv.Remove"/>); with <paramref name="cas"/>, only that version.</summary>
    public static Sink<TIn, Task<Done>> Remove<TIn>(Func<TIn, string> key, Func<TIn, ulong>? cas = null,
        CouchbaseWriteSettings? settings = null, CouchbaseClient? client = null) =>
        Run(CouchbaseFlow.Write<TIn, MutationResult>(KvWrites.Remove(key, cas), settings, client, stopWithoutChoice: true));

    /// <summary>Removes the document of each key.</summary>
    public static Sink<string, Task<Done>> Remove(CouchbaseWriteSettings? settings = null, CouchbaseClient? client = null) =>
        Remove<string>(static key => key, null, settings, client);

    /// <summary>Changes parts of each element's JSON document (<see cref="Kv.MutateIn"/>).</summary>
    public static Sink<TIn, Task<Done>> MutateIn<TIn>(Func<TIn, string> key, Func<TIn, IReadOnlyList<MutateInSpec>> specs,
        StoreSemantics semantics = StoreSemantics.Replace, CouchbaseWriteSettings? settings = null,
        CouchbaseClient? client = null) =>
        Run(CouchbaseFlow.Write<TIn, MutateInResult>(KvWrites.MutateIn(key, specs, semantics), settings, client, stopWithoutChoice: true));

    /// <summary>Sends any <see cref="Kv"/> command <paramref name="command"/> makes of each element, as it is (see <see cref="CouchbaseFlow.Send{TIn, TReply}"/>).</summary>
    public static Sink<TIn, Task<Done>> Send<TIn>(Func<TIn, Kv.ICommand> command,
        int parallelism = CouchbaseFlow.DefaultParallelism, CouchbaseClient? client = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        SettingsChecks.Parallelism(parallelism);
        return Run(CouchbaseFlow.Stage<TIn, object>((e, id) => KvReplies.WithCorrelationId(command(e), id), parallelism,
            client, stopWithoutChoice: true));
    }

    private static Sink<TIn, Task<Done>> Run<TIn, TReply>(Flow<TIn, CouchbaseResult<TReply, TIn>, NotUsed> flow)
        where TReply : class =>
        flow.ToMaterialized(Sink.Ignore<CouchbaseResult<TReply, TIn>>(), Keep.Right);
}
