namespace Akka.Couchbase;

public static partial class Kv
{
    /// <summary>
    /// Read parts of one JSON document (sub-document lookup, SUBDOC_MULTI_LOOKUP): 1 to 16 specs (get, exists, count,
    /// the whole document), all read from the same version. Couchbase buckets only. Specs on xattrs go first on the
    /// wire (the server wants them so); the reply keeps the order given here. Bad specs (no specs, more than 16, a bad
    /// path) are refused before the wire with a <see cref="KvInvalidArgumentException"/> naming the spec's index.
    /// Reply: <see cref="LookupInResult"/>, one entry per spec with its own status; a missing document is the
    /// outcome NotFound. Do not change <see cref="Specs"/> after sending the command.
    /// </summary>
    public sealed record LookupIn(string Key, IReadOnlyList<LookupInSpec> Specs) : KeyCommand(Key)
    {
        /// <summary>Read a deleted document too (its xattrs), instead of the outcome NotFound.</summary>
        public bool AccessDeleted { get; init; }
    }

    /// <summary>
    /// Change parts of one JSON document (sub-document mutation, SUBDOC_MULTI_MUTATION): 1 to 16 specs applied
    /// together or not at all. Couchbase buckets only. With <see cref="MutationCommand.PersistTo"/> or
    /// <see cref="MutationCommand.ReplicateTo"/> its success waits for durability as other mutations do. Bad specs
    /// are refused before the wire with a <see cref="KvInvalidArgumentException"/> naming the spec's index.
    /// Reply: <see cref="MutateInResult"/>; a spec that failed on its path is the outcome
    /// <see cref="KvOutcome.PathFailure"/> with its index and status (the document is then unchanged); a missing
    /// document is NotFound (Replace semantics), an existing one Exists (Insert), another CAS CasMismatch.
    /// Do not change <see cref="Specs"/> after sending the command.
    /// </summary>
    public sealed record MutateIn(string Key, IReadOnlyList<MutateInSpec> Specs) : MutationCommand(Key)
    {
        /// <summary>Non-zero: change only this version (CasMismatch otherwise). Not with <see cref="StoreSemantics.Insert"/>.</summary>
        public ulong Cas { get; init; }

        /// <summary>The document's new expiry; zero = never (and a change without <see cref="PreserveExpiry"/> clears an expiry it had).</summary>
        public TimeSpan Expiry { get; init; }

        /// <summary>
        /// Keep the expiry the document has (a new document takes <see cref="Expiry"/>). Needs a server that
        /// acknowledged PreserveTtl in HELLO (Couchbase Server 7.0 and later); otherwise the command fails with a
        /// <see cref="KvFeatureNotAvailableException"/>, as the Couchbase SDKs do, and nothing is sent.
        /// </summary>
        public bool PreserveExpiry { get; init; }

        /// <summary>Whether the document must exist (Replace, the default), may be created (Upsert) or must not exist (Insert).</summary>
        public StoreSemantics StoreSemantics { get; init; }

        /// <summary>Change a deleted document too (its xattrs), instead of the outcome NotFound.</summary>
        public bool AccessDeleted { get; init; }
    }
}
