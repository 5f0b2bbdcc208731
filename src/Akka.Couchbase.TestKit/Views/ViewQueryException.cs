namespace Akka.Couchbase.TestKit.Views;

/// <summary>A view request that cannot be answered: carries the HTTP status and the <c>error</c>/<c>reason</c> pair.</summary>
public sealed class ViewQueryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ViewQueryException(int status, string error, string reason) : base(error + ": " + reason)
    {
        Status = status;
        Error = error;
        Reason = reason;
    }

    /// <summary>The HTTP status to answer with.</summary>
    public int Status { get; }

    /// <summary>The <c>error</c> member, e.g. <c>query_parse_error</c>.</summary>
    public string Error { get; }

    /// <summary>The <c>reason</c> member.</summary>
    public string Reason { get; }

    internal static ViewQueryException ParseError(string reason) => new(400, "query_parse_error", reason);
}
