namespace Akka.Couchbase.TestKit.Views;

/// <summary>How a view query response ended.</summary>
public enum ViewResponseOutcome
{
    /// <summary>Written to its end.</summary>
    Completed,
    /// <summary>Cut by <see cref="ViewFaults.FailAfterRows"/>.</summary>
    Cut,
    /// <summary>A write failed: the client closed the connection (or the server stopped) before the end.</summary>
    ClientGone,
}

/// <summary>A view query response that ended, as <see cref="ViewResponses"/> reports it.</summary>
/// <param name="Sequence">1 for the first response that ended, then 2, 3...</param>
/// <param name="Bucket">The bucket queried.</param>
/// <param name="DesignDocument">The design document as named in the path (with <c>dev_</c> for development views).</param>
/// <param name="View">The view.</param>
/// <param name="RowsProduced">Rows serialised into this response.</param>
/// <param name="Outcome">How it ended.</param>
public sealed record ViewResponseEnd(long Sequence, string Bucket, string DesignDocument, string View, long RowsProduced,
    ViewResponseOutcome Outcome);
