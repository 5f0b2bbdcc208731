namespace Akka.Couchbase;

/// <summary>What a <see cref="LookupInSpec"/> reads.</summary>
public enum LookupInOperation
{
    /// <summary>The path's value.</summary>
    Get,
    /// <summary>Whether the path exists (no value).</summary>
    Exists,
    /// <summary>The number of elements of the array, or entries of the dictionary, at the path.</summary>
    Count,
    /// <summary>The whole document.</summary>
    GetDocument,
}
