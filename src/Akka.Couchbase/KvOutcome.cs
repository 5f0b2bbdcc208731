namespace Akka.Couchbase;

/// <summary>The expected outcomes of a KV command. Anything else is a failure (<see cref="CouchbaseException"/>).</summary>
public enum KvOutcome
{
    /// <summary>The command did what it asked.</summary>
    Success,
    /// <summary>The document does not exist.</summary>
    NotFound,
    /// <summary>The document already exists (insert).</summary>
    Exists,
    /// <summary>The document changed since the CAS given (or is locked with another CAS, for unlock).</summary>
    CasMismatch,
    /// <summary>Append or prepend to a missing document.</summary>
    NotStored,
    /// <summary>The document is locked.</summary>
    Locked,
    /// <summary>Unlock of a document that is not locked.</summary>
    NotLocked,
    /// <summary>
    /// A spec of a <see cref="Kv.MutateIn"/> failed on its path (<see cref="MutateInResult.FailedIndex"/> and
    /// <see cref="MutateInResult.FailedStatus"/> say which, and why): the document was not changed.
    /// </summary>
    PathFailure,
}
