namespace Akka.Couchbase;

/// <summary>
/// A genuine failure of a command (not an expected outcome such as a miss). Delivered inside
/// <c>Akka.Actor.Status.Failure</c>, so <c>Ask</c> and the Task facade fault with it. <see cref="Context"/> says where,
/// how long, and how busy the connection was.
/// </summary>
public class CouchbaseException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CouchbaseException(string message, KvFailureContext? context = null, Exception? inner = null,
        object? correlationId = null)
        : base(context is null ? message : $"{message} [{context}]", inner)
    {
        Context = context;
        _correlationId = correlationId;
    }

    private readonly object? _correlationId;

    /// <summary>Where and when it failed; null for failures not tied to one command.</summary>
    public KvFailureContext? Context { get; }

    /// <summary>The correlation id of the failed command, if it had one.</summary>
    public object? CorrelationId => Context?.CorrelationId ?? _correlationId;
}

/// <summary>The command's deadline passed before a reply came.</summary>
public sealed class KvTimeoutException : CouchbaseException
{
    /// <summary>Creates the exception.</summary>
    public KvTimeoutException(string message, KvFailureContext context) : base(message, context) { }

    /// <summary>Creates the exception for a wait that is not one KV command (connecting).</summary>
    public KvTimeoutException(string message, object? correlationId) : base(message, correlationId: correlationId) { }
}

/// <summary>The node for the key could not be reached, or the connection was lost before the command was written.</summary>
public class KvNodeUnavailableException : CouchbaseException
{
    /// <summary>Creates the exception.</summary>
    public KvNodeUnavailableException(string message, KvFailureContext? context = null, Exception? inner = null,
        object? correlationId = null)
        : base(message, context, inner, correlationId) { }
}

/// <summary>
/// The client stopped (its actor system terminated, or its supervisor was stopped) before the command was answered.
/// The command was never written, or it is a read: it was not applied. (A mutation that was written when the client
/// stopped is reported as <see cref="KvAmbiguousException"/> instead.)
/// </summary>
public sealed class KvClientStoppedException : KvNodeUnavailableException
{
    /// <summary>Creates the exception.</summary>
    public KvClientStoppedException(string message, KvFailureContext? context = null, object? correlationId = null)
        : base(message, context, correlationId: correlationId) { }
}

/// <summary>A bound was reached (queue, backlog): the command was refused at once rather than piled up.</summary>
public sealed class KvOverloadedException : CouchbaseException
{
    /// <summary>Creates the exception.</summary>
    public KvOverloadedException(string message, KvFailureContext context) : base(message, context) { }
}

/// <summary>
/// A mutation was written but the connection was lost before its reply: it may or may not have been applied. Also
/// a read written before a later mutation of its key whose reply was lost with it: sent again it would run after
/// that mutation, so its result is unknown (reading again is safe).
/// </summary>
public sealed class KvAmbiguousException : CouchbaseException
{
    /// <summary>Creates the exception.</summary>
    public KvAmbiguousException(string message, KvFailureContext context) : base(message, context) { }
}

/// <summary>
/// A mutation was applied (its result is <see cref="Applied"/>) but did not reach the durability it asked for
/// (<see cref="Kv.IDurableCommand"/>) within <c>akka.couchbase.durability-timeout</c>: it may still get there, or be
/// lost with a node that fails before persisting it.
/// </summary>
public sealed class KvDurabilityException : CouchbaseException
{
    /// <summary>Creates the exception.</summary>
    public KvDurabilityException(string message, KvResult applied, KvFailureContext? context = null)
        : base(message, context, correlationId: applied.CorrelationId) => Applied = applied;

    /// <summary>The mutation's own result, a <see cref="MutationResult"/> or <see cref="CounterResult"/> (its CAS identifies the version that was waited for).</summary>
    public KvResult Applied { get; }
}

/// <summary>The command itself is invalid (empty or long key, value too large, non-numeric counter, ...). Nothing was stored.</summary>
public sealed class KvInvalidArgumentException : CouchbaseException
{
    /// <summary>Creates the exception.</summary>
    public KvInvalidArgumentException(string message, KvFailureContext? context = null, Exception? inner = null,
        object? correlationId = null)
        : base(message, context, inner, correlationId) { }
}

/// <summary>Authentication failed or no mechanism acceptable to both sides exists.</summary>
public sealed class KvAuthenticationException : CouchbaseException
{
    /// <summary>Creates the exception.</summary>
    public KvAuthenticationException(string message, KvFailureContext? context = null) : base(message, context) { }
}

/// <summary>The server answered with a status that is neither success nor an expected outcome (temporary failure, no access, ...).</summary>
public sealed class KvServerErrorException : CouchbaseException
{
    private readonly bool? _temporary;

    /// <summary>Creates the exception.</summary>
    public KvServerErrorException(string message, KvFailureContext context) : base(message, context) { }

    /// <summary>Creates the exception, saying whether the status is temporary (from the server's error map).</summary>
    public KvServerErrorException(string message, KvFailureContext context, bool temporary) : base(message, context) =>
        _temporary = temporary;

    /// <summary>
    /// True for temporary statuses: the same command may succeed if sent again later. Known statuses are judged by
    /// the protocol; others by the "temp" attribute of the server's error map.
    /// </summary>
    public bool IsTemporary => _temporary ?? (Context?.Status is { } s && Protocol.KvStatusExtensions.IsRetryable(s));
}

/// <summary>The server sent something that is not valid protocol; the connection was closed.</summary>
public sealed class KvProtocolException : CouchbaseException
{
    /// <summary>Creates the exception.</summary>
    public KvProtocolException(string message, KvFailureContext? context = null, Exception? inner = null)
        : base(message, context, inner) { }
}

/// <summary>
/// The command names a collection (or scope) the bucket does not have: the cluster answered UNKNOWN_COLLECTION
/// (or UNKNOWN_SCOPE) when its id was looked up. The command was not applied; it may succeed once the collection is
/// created.
/// </summary>
public sealed class KvUnknownCollectionException : CouchbaseException
{
    /// <summary>Creates the exception.</summary>
    public KvUnknownCollectionException(string message, string collection, string? manifestUid, KvFailureContext? context = null)
        : base(message, context)
    {
        Collection = collection;
        ManifestUid = manifestUid;
    }

    /// <summary>The collection named, as <c>scope.collection</c>.</summary>
    public string Collection { get; }

    /// <summary>The bucket's manifest uid when the cluster answered (hexadecimal, as the server writes it), if it said.</summary>
    public string? ManifestUid { get; }
}
