namespace Akka.Couchbase;

/// <summary>
/// The key-value protocol of the client: commands a caller sends (Tell or Ask) to the cluster supervisor
/// (<see cref="CouchbaseExtension.Supervisor"/>). Every command gets exactly one reply: a <see cref="KvResult"/>
/// (misses, existing keys, CAS mismatches and locks are outcomes, see <see cref="KvOutcome"/>) or an
/// <c>Akka.Actor.Status.Failure</c> carrying a <see cref="CouchbaseException"/>, so that <c>Ask</c> faults.
/// Commands on the same key are executed, and answered, in the order the supervisor received them.
/// </summary>
public static partial class Kv
{
    /// <summary>What every command carries besides its own fields.</summary>
    public interface ICommand
    {
        /// <summary>Any value the caller wants echoed in the reply (results and failures both carry it).</summary>
        object? CorrelationId { get; }
        /// <summary>This command's deadline, counted from its arrival at the supervisor; null = the configured default.</summary>
        TimeSpan? Timeout { get; }
    }

    /// <summary>
    /// A mutation that can wait for durability (the original's <c>persist_to</c> / <c>replicate_to</c>; Upsert, Insert,
    /// Replace, Append, Prepend, Remove, Increment, Decrement, and <see cref="Endure"/> for a stored version): its success
    /// is replied only once OBSERVE shows the new version persisted on <see cref="PersistTo"/> nodes (the active
    /// one counts) and present on <see cref="ReplicateTo"/> replicas, polled until
    /// <c>akka.couchbase.durability-timeout</c> after the mutation; past it the reply is a
    /// <see cref="KvDurabilityException"/> (the mutation itself was applied). Couchbase buckets only.
    /// </summary>
    public interface IDurableCommand : ICommand
    {
        /// <summary>Nodes, the active one included, that must have persisted the mutation (0 to 1 + replicas); 0 = do not wait.</summary>
        int PersistTo { get; }
        /// <summary>Replicas that must have the mutation (0 to the bucket's replicas); 0 = do not wait.</summary>
        int ReplicateTo { get; }
    }

    /// <summary>The fields every command has: a correlation id and a deadline.</summary>
    public abstract record Command : ICommand
    {
        /// <inheritdoc />
        public object? CorrelationId { get; init; }
        /// <inheritdoc />
        public TimeSpan? Timeout { get; init; }

        private Observability.TraceParentBox? _traceParent;

        /// <summary>
        /// The trace context the command's spans are children of (a command told by an actor, which has no
        /// <see cref="System.Diagnostics.Activity.Current"/> of its caller: set it to that caller's
        /// <c>Activity.Context</c>). Null: the Task facade's caller's <c>Activity.Current</c>, or none.
        /// See docs/observability.md.
        /// </summary>
        public System.Diagnostics.ActivityContext? TraceParent
        {
            get => _traceParent?.Context;
            init => _traceParent = value is { } context ? new Observability.TraceParentBox(context) : null;
        }
    }

    /// <summary>
    /// A command on one key, in one collection: <see cref="Scope"/> and <see cref="Collection"/> name it, each null
    /// meaning the client's default (<c>akka.couchbase.default-scope</c> / <c>default-collection</c>, both
    /// <c>_default</c> unless configured).
    /// </summary>
    public abstract record KeyCommand(string Key) : Command
    {
        /// <summary>The scope of the document's collection; null = the client's default scope.</summary>
        public string? Scope { get; init; }
        /// <summary>The document's collection; null = the client's default collection.</summary>
        public string? Collection { get; init; }
    }

    /// <summary>A command that changes one document, and can wait for durability (<see cref="IDurableCommand"/>).</summary>
    public abstract record MutationCommand(string Key) : KeyCommand(Key), IDurableCommand
    {
        /// <inheritdoc />
        public int PersistTo { get; init; }
        /// <inheritdoc />
        public int ReplicateTo { get; init; }
    }

    /// <summary>Read a document. Reply: <see cref="GetResult"/>.</summary>
    public sealed record Get(string Key) : KeyCommand(Key);

    /// <summary>
    /// Read a replica copy of a document (the original's <c>rget</c>): from replica <see cref="Replica"/> of the key's
    /// vBucket in the cluster map, for reads while the node of the active copy is down. A replica may lag behind
    /// the active copy, and replica reads are not ordered with commands on the active copy. Couchbase buckets only.
    /// Reply: <see cref="GetResult"/> (NotFound when that replica has no copy).
    /// </summary>
    public sealed record GetReplica(string Key) : KeyCommand(Key)
    {
        /// <summary>Which replica: 1 to the bucket's number of replicas (at most 3). Default 1.</summary>
        public int Replica { get; init; } = 1;
    }

    /// <summary>
    /// Where the copies of a document stand (the original's <c>observe</c>): OBSERVE to the key's active node and
    /// each replica node of the current map. Couchbase buckets only. Reply: <see cref="ObserveResult"/>.
    /// </summary>
    public sealed record Observe(string Key) : KeyCommand(Key);

    /// <summary>
    /// Wait until the version <see cref="Cas"/> of a document is as durable as asked (the original's <c>endure</c>):
    /// persisted on <see cref="PersistTo"/> nodes and present on <see cref="ReplicateTo"/> replicas, within
    /// <c>durability-timeout</c>. Reply: <see cref="MutationResult"/> with that CAS, or a
    /// <see cref="KvDurabilityException"/>.
    /// </summary>
    public sealed record Endure(string Key, ulong Cas) : KeyCommand(Key), IDurableCommand
    {
        /// <inheritdoc />
        public int PersistTo { get; init; }
        /// <inheritdoc />
        public int ReplicateTo { get; init; }
    }

    /// <summary>Read a document and set its expiry. Reply: <see cref="GetResult"/>.</summary>
    public sealed record GetAndTouch(string Key, TimeSpan Expiry) : KeyCommand(Key);

    /// <summary>Read and lock a document for <see cref="LockTime"/> (zero = the server's default, 15 s). Reply: <see cref="GetResult"/> whose CAS unlocks it.</summary>
    public sealed record GetAndLock(string Key, TimeSpan LockTime) : KeyCommand(Key);

    /// <summary>Unlock a document locked by <see cref="GetAndLock"/>. Reply: <see cref="MutationResult"/> (CasMismatch, NotLocked or NotFound as outcomes).</summary>
    public sealed record Unlock(string Key, ulong Cas) : KeyCommand(Key);

    /// <summary>Set a document's expiry. Reply: <see cref="MutationResult"/>.</summary>
    public sealed record Touch(string Key, TimeSpan Expiry) : KeyCommand(Key);

    /// <summary>A command that stores a value.</summary>
    public abstract record StoreCommand(string Key, object? Value) : MutationCommand(Key)
    {
        /// <summary>Expiry; zero = never. Up to 30 days it is relative, beyond it is converted to an absolute time.</summary>
        public TimeSpan Expiry { get; init; }
    }

    /// <summary>Store a document whether or not it exists (the original's <c>set</c>). With <see cref="Cas"/> it only replaces that version. Reply: <see cref="MutationResult"/>.</summary>
    public sealed record Upsert(string Key, object? Value) : StoreCommand(Key, Value)
    {
        /// <summary>Non-zero: store only if the document's CAS is this (CasMismatch otherwise).</summary>
        public ulong Cas { get; init; }
    }

    /// <summary>Store a document only if it does not exist (the original's <c>add</c>). Reply: <see cref="MutationResult"/> (Exists as outcome).</summary>
    public sealed record Insert(string Key, object? Value) : StoreCommand(Key, Value);

    /// <summary>Store a document only if it exists. Reply: <see cref="MutationResult"/> (NotFound, CasMismatch as outcomes).</summary>
    public sealed record Replace(string Key, object? Value) : StoreCommand(Key, Value)
    {
        /// <summary>Non-zero: replace only this version.</summary>
        public ulong Cas { get; init; }
    }

    /// <summary>A command that adds bytes or text to an existing document (a string or bytes: no transcoding).</summary>
    public abstract record ConcatCommand(string Key, object Value) : MutationCommand(Key)
    {
        /// <summary>Non-zero: change only this version.</summary>
        public ulong Cas { get; init; }
    }

    /// <summary>Append bytes or text to an existing document. Reply: <see cref="MutationResult"/> (NotStored when absent).</summary>
    public sealed record Append(string Key, object Value) : ConcatCommand(Key, Value);

    /// <summary>Prepend bytes or text to an existing document. Reply: <see cref="MutationResult"/> (NotStored when absent).</summary>
    public sealed record Prepend(string Key, object Value) : ConcatCommand(Key, Value);

    /// <summary>Remove a document. Reply: <see cref="MutationResult"/>.</summary>
    public sealed record Remove(string Key) : MutationCommand(Key)
    {
        /// <summary>Non-zero: remove only this version.</summary>
        public ulong Cas { get; init; }
        /// <summary>A missing document is not a miss: the outcome is Success (the original's <c>quiet=True</c>).</summary>
        public bool Quiet { get; init; }
    }

    /// <summary>A counter command.</summary>
    public abstract record CounterCommand(string Key) : MutationCommand(Key)
    {
        /// <summary>Amount to add or subtract. Default 1.</summary>
        public ulong Delta { get; init; } = 1;
        /// <summary>Value to create the counter with when absent; null = do not create (NotFound outcome).</summary>
        public ulong? Initial { get; init; }
        /// <summary>Expiry of a counter this command creates; zero = never.</summary>
        public TimeSpan Expiry { get; init; }
    }

    /// <summary>Add to a counter (wraps at 2^64). Reply: <see cref="CounterResult"/>.</summary>
    public sealed record Increment(string Key) : CounterCommand(Key);

    /// <summary>Subtract from a counter (stops at 0). Reply: <see cref="CounterResult"/>.</summary>
    public sealed record Decrement(string Key) : CounterCommand(Key);

    /// <summary>
    /// A command on many keys; its reply holds one result per key. <see cref="Scope"/> and <see cref="Collection"/>
    /// name the collection of every key of <see cref="GetMulti"/>, <see cref="UpsertMulti"/> and
    /// <see cref="RemoveMulti"/> (null = the client's default); the commands of <see cref="Multi"/> name their own.
    /// </summary>
    public abstract record MultiCommand : Command
    {
        /// <summary>The scope of the keys' collection; null = the client's default scope.</summary>
        public string? Scope { get; init; }
        /// <summary>The keys' collection; null = the client's default collection.</summary>
        public string? Collection { get; init; }
    }

    /// <summary>Read many documents. Reply: <see cref="MultiResult{T}"/> of <see cref="GetResult"/> (the original's <c>get_multi</c> / <c>getMulti</c>).</summary>
    public sealed record GetMulti(IReadOnlyList<string> Keys) : MultiCommand;

    /// <summary>Store many documents. Reply: <see cref="MultiResult{T}"/> of <see cref="MutationResult"/>.</summary>
    public sealed record UpsertMulti(IReadOnlyDictionary<string, object?> Items) : MultiCommand
    {
        /// <summary>Expiry of every document; zero = never.</summary>
        public TimeSpan Expiry { get; init; }
    }

    /// <summary>
    /// Many single-key commands as one (the original's other <c>*_multi</c> operations: <c>add_multi</c>,
    /// <c>replace_multi</c>, <c>touch_multi</c>, <c>lock_multi</c>, <c>incr_multi</c>, <c>append_multi</c>, ...): one
    /// command per key, any mix, each sent as if alone (a command without its own timeout takes this one's).
    /// Durability, Observe and Endure are not available inside it. Reply: <see cref="MultiResult{T}"/> of
    /// <see cref="KvResult"/>, keyed by each command's key.
    /// </summary>
    public sealed record Multi(IReadOnlyList<KeyCommand> Commands) : MultiCommand;

    /// <summary>Remove many documents. Reply: <see cref="MultiResult{T}"/> of <see cref="MutationResult"/>.</summary>
    public sealed record RemoveMulti(IReadOnlyList<string> Keys) : MultiCommand
    {
        /// <summary>Missing documents count as success.</summary>
        public bool Quiet { get; init; }
    }

    /// <summary>Ask when the client is connected (the original's <c>connect()</c> Deferred). Reply: <see cref="Connected"/> once the first node is ready, or a failure if bootstrap fails.</summary>
    public sealed record AwaitConnected : Command;

    /// <summary>Reply to <see cref="AwaitConnected"/>.</summary>
    public sealed record Connected(IReadOnlyList<string> Nodes, object? CorrelationId);

    /// <summary>
    /// The servers' statistics (the original's <c>stats()</c>): STAT to every node of the current map (or server
    /// list), with <see cref="Group"/> as the stat group (null or empty: the general ones; e.g. "settings", "items").
    /// Reply: <see cref="StatsResult"/>.
    /// </summary>
    public sealed record Stats : Command
    {
        /// <summary>The stat group; null or empty for the general statistics.</summary>
        public string? Group { get; init; }
    }

    /// <summary>
    /// The reply to <see cref="Stats"/>: each node's statistics by name, and for each node that did not answer, why.
    /// </summary>
    public sealed record StatsResult(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Nodes,
        IReadOnlyDictionary<string, CouchbaseException> Failures, object? CorrelationId);

    /// <summary>Ask for the client's view of the cluster. Reply: <see cref="Diagnostics"/>.</summary>
    public sealed record GetDiagnostics : Command;

    /// <summary>The client's view of the cluster, for health checks and dashboards.</summary>
    /// <param name="Bucket">The bucket.</param>
    /// <param name="MapRevision">The cluster map in use as "epoch:revision"; null before the first (and for memcached buckets).</param>
    /// <param name="Nodes">Each node the client routes to or connects to, and whether its connection is ready.</param>
    /// <param name="Backlog">Commands held because no node can take them yet.</param>
    /// <param name="HeldForMovingVBuckets">Commands held behind vBuckets that are moving.</param>
    /// <param name="MovingVBuckets">vBuckets parked while their owner changes.</param>
    /// <param name="LastBootstrapError">Why the last connection attempt failed while no node was ready, if so.</param>
    /// <param name="CorrelationId">The request's correlation id.</param>
    public sealed record Diagnostics(string Bucket, string? MapRevision, IReadOnlyList<NodeDiagnostics> Nodes, int Backlog,
        int HeldForMovingVBuckets, int MovingVBuckets, string? LastBootstrapError, object? CorrelationId)
    {
        /// <summary>
        /// Commands held while their collection's id is looked up (GET_COLLECTION_ID), or looked up again after a
        /// node refused the id (the collection was dropped or re-created). They count toward
        /// <c>akka.couchbase.max-backlog</c> with <see cref="Backlog"/> and <see cref="HeldForMovingVBuckets"/>.
        /// </summary>
        public int HeldForCollectionIds { get; init; }

        /// <summary>True when every node the client knows has a ready connection.</summary>
        public bool AllNodesConnected => Nodes.Count > 0 && Nodes.All(n => n.Connected);
    }

    /// <summary>One node in <see cref="Diagnostics"/>.</summary>
    /// <param name="Address">"host:port" of its KV service.</param>
    /// <param name="Connected">Whether its connection finished the handshake and takes requests.</param>
    /// <param name="Leaving">Whether it left the map and its connection is closing.</param>
    public sealed record NodeDiagnostics(string Address, bool Connected, bool Leaving);
}
