namespace Akka.Couchbase.Observability;

/// <summary>
/// Attribute names of metrics and spans: OpenTelemetry's database client semantic conventions where they apply,
/// <c>couchbase.*</c> for what only this client knows.
/// </summary>
internal static class SemanticTags
{
    public const string DbSystemName = "db.system.name";
    public const string DbOperationName = "db.operation.name";
    public const string DbNamespace = "db.namespace";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string ErrorType = "error.type";

    /// <summary>The value of <see cref="DbSystemName"/>.</summary>
    public const string Couchbase = "couchbase";

    /// <summary>The result of a KV operation: a <see cref="KvOutcome"/> in snake case, or <c>error</c>.</summary>
    public const string Outcome = "couchbase.outcome";
    /// <summary>The service an operation went to: <c>kv</c>, <c>views</c>, <c>mgmt</c> (the HTTP map stream).</summary>
    public const string Service = "couchbase.service";
    public const string VBucket = "couchbase.vbucket";
    public const string Attempts = "couchbase.attempts";
    public const string RetryReasons = "couchbase.retry_reasons";
    public const string ServerDuration = "couchbase.server_duration_us";
    public const string Opaque = "couchbase.operation_id";
    public const string LocalId = "couchbase.local_id";
    public const string Timeout = "couchbase.timeout_ms";
}
