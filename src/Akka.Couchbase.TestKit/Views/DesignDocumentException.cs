namespace Akka.Couchbase.TestKit.Views;

/// <summary>A design document failed validation (bad JSON, a map or reduce that does not compile, an unknown built-in reduce).</summary>
public sealed class DesignDocumentException : Exception
{
    /// <summary>Creates the exception with the reason returned to HTTP clients.</summary>
    public DesignDocumentException(string reason) : base(reason)
    {
        Reason = reason;
    }

    /// <summary>The reason, as sent in <c>{"error":"invalid_design_document","reason":...}</c>.</summary>
    public string Reason { get; }
}
