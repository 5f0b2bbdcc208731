using Akka.Actor;
using Akka.Streams.Dsl;

namespace Akka.Couchbase.Streams.Dsl;

/// <summary>
/// KV commands as Akka.Streams flows: one command per element, up to a parallelism in flight, results in the
/// elements' order, each with the element itself as its pass-through value
/// (<see cref="CouchbaseResult{TResult, TPassThrough}"/>). They send on the message path (a stage actor Tells the
/// client's supervisor and matches replies by correlation id), through the client given to the factory or, when it is
/// null, the default client of the materializer's actor system (<see cref="CouchbaseExtension.Client"/>): no flow
/// makes a client of its own.
/// <para>
/// Expected outcomes (NotFound, Exists, CasMismatch, PathFailure...) are results. A genuine failure is a failed
/// result too, unless the stream's supervision strategy says Stop, which fails the stream; a caller who sets no
/// strategy gets failed results (<c>docs/streams.md</c>). Every flow can be materialized many times.
/// </para>
/// </summary>
public static class CouchbaseFlow
{
    /// <summary>The parallelism of the settings' defaults: commands in flight per stage.</summary>
    public const int DefaultParallelism = 16;

    /// <summary>The largest parallelism a stage accepts.</summary>
    public const int MaxParallelism = 4096;

    /// <summary>Reads the document of each key (a keys-to-documents flow); the key is the pass-through value.</summary>
    public static Flow<string, CouchbaseResult<GetResult, string>, NotUsed> Get(CouchbaseReadSettings? settings = null,
        CouchbaseClient? client = null) => Get<string>(static key => key, settings, client);

    /// <summary>Reads the document whose key <paramref name="key"/> gives for each element.</summary>
    public static Flow<TIn, CouchbaseResult<GetResult, TIn>, NotUsed> Get<TIn>(Func<TIn, string> key,
        CouchbaseReadSettings? settings = null, CouchbaseClient? client = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var s = (settings ?? CouchbaseReadSettings.Default).Validated();
        return Stage<TIn, GetResult>((e, id) => new Kv.Get(key(e))
        {
            CorrelationId = id, Timeout = s.Timeout, Scope = s.Scope, Collection = s.Collection,
        }, s.Parallelism, client, stopWithoutChoice: false);
    }

    /// <summary>Stores each element's document whether or not it exists (<see cref="Kv.Upsert"/>).</summary>
    /// <param name="key">The document's key.</param>
    /// <param name="value">The document's value (transcoded as the client's <c>UpsertAsync</c> does: bytes raw, strings as text, other values as JSON).</param>
    /// <param name="settings">Expiry, durability, timeout, collection and parallelism of every write.</param>
    /// <param name="client">The client to send through; null = the actor system's default client.</param>
    public static Flow<TIn, CouchbaseResult<MutationResult, TIn>, NotUsed> Upsert<TIn>(Func<TIn, string> key,
        Func<TIn, object?> value, CouchbaseWriteSettings? settings = null, CouchbaseClient? client = null) =>
        Write<TIn, MutationResult>(KvWrites.Upsert(key, value), settings, client, stopWithoutChoice: false);

    /// <summary>Stores each element's document only if it does not exist (<see cref="Kv.Insert"/>; Exists is an outcome).</summary>
    public static Flow<TIn, CouchbaseResult<MutationResult, TIn>, NotUsed> Insert<TIn>(Func<TIn, string> key,
        Func<TIn, object?> value, CouchbaseWriteSettings? settings = null, CouchbaseClient? client = null) =>
        Write<TIn, MutationResult>(KvWrites.Insert(key, value), settings, client, stopWithoutChoice: false);

    /// <summary>
    /// Replaces each element's document only if it exists (<see cref="Kv.Replace"/>; NotFound and CasMismatch are
    /// outcomes); with <paramref name="cas"/>, only the version it gives (0 = any).
    /// </summary>
    public static Flow<TIn, CouchbaseResult<MutationResult, TIn>, NotUsed> Replace<TIn>(Func<TIn, string> key,
        Func<TIn, object?> value, Func<TIn, ulong>? cas = null, CouchbaseWriteSettings? settings = null,
        CouchbaseClient? client = null) =>
        Write<TIn, MutationResult>(KvWrites.Replace(key, value, cas), settings, client, stopWithoutChoice: false);

    /// <summary>
    /// Removes each element's document (<see cref="Kv.Remove"/>; NotFound and CasMismatch are outcomes); with
    /// <paramref name="cas"/>, only the version it gives (0 = any). Expiry does not apply.
    /// </summary>
    public static Flow<TIn, CouchbaseResult<MutationResult, TIn>, NotUsed> Remove<TIn>(Func<TIn, string> key,
        Func<TIn, ulong>? cas = null, CouchbaseWriteSettings? settings = null, CouchbaseClient? client = null) =>
        Write<TIn, MutationResult>(KvWrites.Remove(key, cas), settings, client, stopWithoutChoice: false);

    /// <summary>Removes the document of each key; the key is the pass-through value.</summary>
    public static Flow<string, CouchbaseResult<MutationResult, string>, NotUsed> Remove(
        CouchbaseWriteSettings? settings = null, CouchbaseClient? client = null) =>
        Remove<string>(static key => key, null, settings, client);

    /// <summary>
    /// Changes parts of each element's JSON document (<see cref="Kv.MutateIn"/>: the specs apply together or not at
    /// all; PathFailure, NotFound, Exists and CasMismatch are outcomes).
    /// </summary>
    /// <param name="key">The document's key.</param>
    /// <param name="specs">The changes (1 to 16 specs), e.g. built with <see cref="MutateInSpecBuilder"/>.</param>
    /// <param name="semantics">Whether the document must exist (Replace, the default), may be created (Upsert) or must not exist (Insert).</param>
    /// <param name="settings">Expiry, durability, timeout, collection and parallelism of every mutation.</param>
    /// <param name="client">The client to send through; null = the actor system's default client.</param>
    public static Flow<TIn, CouchbaseResult<MutateInResult, TIn>, NotUsed> MutateIn<TIn>(Func<TIn, string> key,
        Func<TIn, IReadOnlyList<MutateInSpec>> specs, StoreSemantics semantics = StoreSemantics.Replace,
        CouchbaseWriteSettings? settings = null, CouchbaseClient? client = null) =>
        Write<TIn, MutateInResult>(KvWrites.MutateIn(key, specs, semantics), settings, client, stopWithoutChoice: false);

    /// <summary>
    /// Any <see cref="Kv"/> command: <paramref name="command"/> makes each element's, sent as it is (its own timeout,
    /// collection, durability), with the flow's correlation id in place of its own. <typeparamref name="TReply"/> is
    /// the reply it expects (<see cref="KvResult"/> for a mix of single-key commands, <see cref="MultiResult{T}"/> of
    /// <see cref="GetResult"/> for <see cref="Kv.GetMulti"/>, ...): a reply of another type fails the stream.
    /// </summary>
    public static Flow<TIn, CouchbaseResult<TReply, TIn>, NotUsed> Send<TIn, TReply>(Func<TIn, Kv.ICommand> command,
        int parallelism = DefaultParallelism, CouchbaseClient? client = null) where TReply : class
    {
        ArgumentNullException.ThrowIfNull(command);
        SettingsChecks.Parallelism(parallelism);
        return Stage<TIn, TReply>((e, id) => KvReplies.WithCorrelationId(command(e), id), parallelism, client,
            stopWithoutChoice: false);
    }

    internal static Flow<TIn, CouchbaseResult<TReply, TIn>, NotUsed> Write<TIn, TReply>(
        Func<CouchbaseWriteSettings, KvCommandFactory<TIn>> factory, CouchbaseWriteSettings? settings,
        CouchbaseClient? client, bool stopWithoutChoice) where TReply : class
    {
        var s = (settings ?? CouchbaseWriteSettings.Default).Validated();
        return Stage<TIn, TReply>(factory(s), s.Parallelism, client, stopWithoutChoice);
    }

    internal static Flow<TIn, CouchbaseResult<TReply, TIn>, NotUsed> Stage<TIn, TReply>(KvCommandFactory<TIn> command,
        int parallelism, CouchbaseClient? client, bool stopWithoutChoice) where TReply : class
    {
        Func<ActorSystem, IActorRef> supervisor = client is null
            ? static system => CouchbaseExtension.Get(system).Supervisor
            : _ => client.Supervisor;
        return Flow.FromGraph(new KvFlowStage<TIn, TReply>(command, parallelism, supervisor, stopWithoutChoice));
    }
}
