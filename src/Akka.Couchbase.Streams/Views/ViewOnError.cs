namespace Akka.Couchbase.Streams.Views;

/// <summary>What the merging node does when another node fails (<c>on_error</c>, spec §9.2).</summary>
public enum ViewOnError
{
    /// <summary>Keep partial results and report the error in <see cref="ViewMetadata.Errors"/>.</summary>
    Continue,
    /// <summary>Stop at the first error.</summary>
    Stop,
}
