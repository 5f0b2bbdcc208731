namespace Akka.Couchbase.Transcoding;

/// <summary>How a document's bytes are to be read, from the format nibble of its common flags (spec §4.2).</summary>
public enum DocumentFormat
{
    /// <summary>No common flags (top byte 0), or a format this client does not know: legacy rules apply (JSON or bytes).</summary>
    Legacy,
    /// <summary>SDK-specific serialization (format 1), e.g. Java-serialized objects.</summary>
    Private,
    /// <summary>JSON (format 2).</summary>
    Json,
    /// <summary>Raw bytes (format 3).</summary>
    Binary,
    /// <summary>UTF-8 text without BOM (format 4).</summary>
    String,
}
