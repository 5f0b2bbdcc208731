namespace Akka.Couchbase;

/// <summary>What a <see cref="Kv.MutateIn"/> does when the document does or does not exist.</summary>
public enum StoreSemantics
{
    /// <summary>The document must exist (NotFound otherwise). The default.</summary>
    Replace,
    /// <summary>The document is created if it does not exist (missing parents of each path are created too).</summary>
    Upsert,
    /// <summary>The document must not exist (Exists otherwise) and is created; no CAS may be given.</summary>
    Insert,
}
