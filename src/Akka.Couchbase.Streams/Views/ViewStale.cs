namespace Akka.Couchbase.Streams.Views;

/// <summary>How fresh the index must be (<c>stale</c>, spec §9.2).</summary>
public enum ViewStale
{
    /// <summary><c>stale=false</c>: update the index before answering.</summary>
    False,
    /// <summary><c>stale=ok</c>: answer from the index as it is.</summary>
    Ok,
    /// <summary><c>stale=update_after</c> (the server's default): answer now, update afterwards.</summary>
    UpdateAfter,
}
