namespace Akka.Couchbase;

/// <summary>What a <see cref="MutateInSpec"/> changes.</summary>
public enum MutateInOperation
{
    /// <summary>Adds a dictionary entry; PathExists if it is there.</summary>
    Insert,
    /// <summary>Adds or replaces a dictionary entry.</summary>
    Upsert,
    /// <summary>Replaces the value at a path; PathNotFound if it is not there.</summary>
    Replace,
    /// <summary>Removes the value at a path; PathNotFound if it is not there.</summary>
    Remove,
    /// <summary>Appends values to the array at a path.</summary>
    ArrayAppend,
    /// <summary>Prepends values to the array at a path.</summary>
    ArrayPrepend,
    /// <summary>Inserts values into an array before the index the path ends with.</summary>
    ArrayInsert,
    /// <summary>Adds a JSON primitive to the array at a path unless it is there (PathExists).</summary>
    ArrayAddUnique,
    /// <summary>Adds a (signed) delta to the integer at a path, creating it as the delta when absent.</summary>
    Counter,
}
