using System.Globalization;
using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Kv.SubDocument.Json;

namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>The outcome of one path operation: its status and, for GET, COUNTER and GET_COUNT, its value's JSON text.</summary>
internal readonly record struct SubJsonResult(KvStatus Status, string? Value = null)
{
    public static readonly SubJsonResult Ok = new(KvStatus.Success);

    public static implicit operator SubJsonResult(KvStatus status) => new(status);
}

/// <summary>
/// One path operation on a JSON tree, with subjson's rules (<c>subdoc/operations.cc</c>): which statuses each
/// command gives for a missing, mismatched or existing path, how values are checked (one value for dictionaries, a
/// comma-separated series for arrays, primitives for add-unique, depth limits), MKDIR_P, counters in int64. A
/// mutation edits the tree it is given in place, and only when it succeeds.
/// </summary>
internal static partial class SubJson
{
    /// <summary>Levels a document may have, counting primitives (subjson's MAX_COMPONENTS + 1 parser levels, less the root).</summary>
    public const int MaxDepth = 32;

    public static SubJsonResult Execute(SubJsonCommand command, JsonNode root, string path, ReadOnlySpan<byte> value, bool mkdirP)
    {
        var parsed = PathParser.Parse(path, out var p);
        if (parsed != KvStatus.Success) return parsed;
        return command switch
        {
            SubJsonCommand.Get => Get(root, p, withValue: true),
            SubJsonCommand.Exists => Get(root, p, withValue: false),
            SubJsonCommand.GetCount => Count(root, p),
            SubJsonCommand.DictAdd or SubJsonCommand.DictUpsert or SubJsonCommand.Replace => StoreDict(command, root, p, value, mkdirP),
            SubJsonCommand.Remove => Remove(root, p),
            SubJsonCommand.ArrayPushFirst => PushFirst(root, p, value, mkdirP),
            SubJsonCommand.ArrayPushLast or SubJsonCommand.ArrayAddUnique => PushLast(command, root, p, value, mkdirP),
            SubJsonCommand.ArrayInsert => Insert(root, p, value),
            SubJsonCommand.Counter => Counter(root, p, value, mkdirP),
            _ => KvStatus.NotSupported,
        };
    }

    private static SubJsonResult Get(JsonNode root, List<PathComponent> p, bool withValue)
    {
        var m = PathMatch.Find(root, p);
        return m.Kind switch
        {
            MatchKind.Mismatch => SubDocStatus.PathMismatch,
            MatchKind.Partial => SubDocStatus.PathNotFound,
            _ => new SubJsonResult(KvStatus.Success, withValue ? m.Deepest.ToJson() : null),
        };
    }

    private static SubJsonResult Count(JsonNode root, List<PathComponent> p)
    {
        var m = PathMatch.Find(root, p);
        if (m.Kind == MatchKind.Mismatch) return SubDocStatus.PathMismatch;
        if (m.Kind == MatchKind.Partial) return SubDocStatus.PathNotFound;
        return m.Deepest switch
        {
            JsonObject o => new SubJsonResult(KvStatus.Success, o.Members.Count.ToString(CultureInfo.InvariantCulture)),
            JsonArray a => new SubJsonResult(KvStatus.Success, a.Items.Count.ToString(CultureInfo.InvariantCulture)),
            _ => SubDocStatus.PathMismatch,
        };
    }

    private static SubJsonResult Remove(JsonNode root, List<PathComponent> p)
    {
        if (p.Count == 0) return SubDocStatus.ValueCantInsert; // the root cannot go
        var m = PathMatch.Find(root, p);
        if (m.Kind == MatchKind.Mismatch) return SubDocStatus.PathMismatch;
        if (m.Kind == MatchKind.Partial) return SubDocStatus.PathNotFound;
        if (m.Parent is JsonObject o) o.Members.RemoveAt(m.Slot);
        else ((JsonArray)m.Parent!).Items.RemoveAt(m.Slot);
        return SubJsonResult.Ok;
    }

    /// <summary>
    /// Checks a spec's value: <paramref name="series"/> allows several comma-separated elements (array context),
    /// <paramref name="primitive"/> requires one primitive, and the value may be at most <paramref name="maxDepth"/> deep.
    /// </summary>
    private static KvStatus Values(ReadOnlySpan<byte> value, bool series, bool primitive, int maxDepth, out List<JsonNode> values)
    {
        values = JsonParser.TryParseElements(value) ?? new List<JsonNode>();
        if (values.Count == 0) return SubDocStatus.ValueCantInsert;
        if ((!series || primitive) && values.Count != 1) return SubDocStatus.ValueCantInsert;
        if (primitive && values[0] is not JsonScalar) return SubDocStatus.ValueCantInsert;
        foreach (var v in values)
            if (v.Depth > maxDepth) return SubDocStatus.ValueTooDeep;
        return KvStatus.Success;
    }

    /// <summary>
    /// Creates the missing dictionaries of <paramref name="p"/> below the deepest existing value and puts
    /// <paramref name="leaf"/> at the end (subjson's do_mkdir_p); only dictionary keys can be created.
    /// </summary>
    private static KvStatus MkdirP(PathMatch m, List<PathComponent> p, JsonNode leaf)
    {
        if (m.Deepest is not JsonObject parent) return SubDocStatus.PathNotFound;
        for (var i = m.Matched; i < p.Count; i++)
            if (p[i].IsIndex) return SubDocStatus.PathNotFound;
        var node = leaf;
        for (var i = p.Count - 1; i > m.Matched; i--)
        {
            var o = new JsonObject();
            o.Members.Add(new JsonMember(p[i].Name!, p[i].RawName!, node));
            node = o;
        }
        parent.Members.Add(new JsonMember(p[m.Matched].Name!, p[m.Matched].RawName!, node));
        return KvStatus.Success;
    }

    private static string Text(ReadOnlySpan<byte> value) => Encoding.UTF8.GetString(value);
}
