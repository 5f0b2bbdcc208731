namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>What a mutation does about the document's existence (from the doc flags).</summary>
internal enum MutationSemantics
{
    /// <summary>No doc flag: the document must exist.</summary>
    Replace,
    /// <summary>Mkdoc: create it if missing.</summary>
    Set,
    /// <summary>Add: create it; fail if it exists.</summary>
    Add,
}
