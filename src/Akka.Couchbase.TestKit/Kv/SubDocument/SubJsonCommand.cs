namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>The operations on a path inside a JSON value (subjson's <c>Subdoc::Command</c>).</summary>
internal enum SubJsonCommand
{
    /// <summary>Not a path operation (whole-document specs).</summary>
    None,
    Get,
    Exists,
    DictAdd,
    DictUpsert,
    Remove,
    Replace,
    ArrayPushLast,
    ArrayPushFirst,
    ArrayInsert,
    ArrayAddUnique,
    Counter,
    GetCount,
}
