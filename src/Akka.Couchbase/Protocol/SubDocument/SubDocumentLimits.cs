namespace Akka.Couchbase.Protocol.SubDocument;

/// <summary>The server's limits (kv_engine <c>docs/SubDocument.md</c>, "Limits").</summary>
internal static class SubDocumentLimits
{
    /// <summary>Specs in one multi-path command (SUBDOC_MULTI_MAX_PATHS).</summary>
    public const int MaxSpecs = 16;
    /// <summary>UTF-8 bytes of one path (SUBDOC_MAX_PATH_LENGTH).</summary>
    public const int MaxPathBytes = 1024;
}
