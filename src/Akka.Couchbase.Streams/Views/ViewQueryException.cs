namespace Akka.Couchbase.Streams.Views;

/// <summary>A view query failed: the server refused it (status, error and reason as it sent them) or the response broke.</summary>
public sealed class ViewQueryException : CouchbaseException
{
    /// <summary>Creates the exception.</summary>
    public ViewQueryException(string message, int? httpStatus = null, string? error = null, string? reason = null,
        Uri? uri = null, Exception? inner = null)
        : base(message, inner: inner)
    {
        HttpStatus = httpStatus;
        Error = error;
        Reason = reason;
        Uri = uri;
    }

    /// <summary>The HTTP status, when the server answered.</summary>
    public int? HttpStatus { get; }
    /// <summary>The <c>error</c> member of the server's answer (e.g. <c>not_found</c>, <c>query_parse_error</c>).</summary>
    public string? Error { get; }
    /// <summary>The <c>reason</c> member (e.g. <c>missing_named_view</c>).</summary>
    public string? Reason { get; }
    /// <summary>The URL queried (without credentials).</summary>
    public Uri? Uri { get; }
}
