using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Kv.SubDocument.Json;

namespace Akka.Couchbase.TestKit.Kv.SubDocument;

internal static partial class SubJson
{
    /// <summary>ARRAY_PUSH_FIRST: the path names the array (empty = the root).</summary>
    private static SubJsonResult PushFirst(JsonNode root, List<PathComponent> p, ReadOnlySpan<byte> value, bool mkdirP)
    {
        var check = Values(value, series: true, primitive: false, MaxDepth - 1 - p.Count, out var values);
        if (check != KvStatus.Success) return check;
        if (p.Count + 1 > PathParser.MaxComponents) return SubDocStatus.PathTooBig; // the engine looks for path[0]
        var first = new List<PathComponent>(p) { PathComponent.At(0) };
        var m = PathMatch.Find(root, first);
        if (m.Kind == MatchKind.Mismatch) return SubDocStatus.PathMismatch;
        if (m.Kind == MatchKind.Complete)
        {
            ((JsonArray)m.Parent!).Items.InsertRange(0, values);
            return SubJsonResult.Ok;
        }
        if (m.ImmediateParentFound(first.Count))
        {
            ((JsonArray)m.Deepest).Items.AddRange(values); // the array exists and is empty
            return SubJsonResult.Ok;
        }
        return mkdirP ? MkdirP(PathMatch.Find(root, p), p, new JsonArray(values)) : SubDocStatus.PathNotFound;
    }

    /// <summary>ARRAY_PUSH_LAST and ARRAY_ADD_UNIQUE: the path names the array (empty = the root).</summary>
    private static SubJsonResult PushLast(SubJsonCommand command, JsonNode root, List<PathComponent> p, ReadOnlySpan<byte> value, bool mkdirP)
    {
        var unique = command == SubJsonCommand.ArrayAddUnique;
        var check = Values(value, series: true, primitive: unique, MaxDepth - 1 - p.Count, out var values);
        if (check != KvStatus.Success) return check;
        if (p.Count == 0 && !unique)
        {
            // subjson appends to the root by looking at its text: an object is a mismatch, a primitive is not JSON
            if (root is JsonArray rootArray)
            {
                rootArray.Items.AddRange(values);
                return SubJsonResult.Ok;
            }
            return root is JsonObject ? SubDocStatus.PathMismatch : SubDocStatus.DocNotJson;
        }
        var m = PathMatch.Find(root, p);
        if (m.Kind == MatchKind.Mismatch) return SubDocStatus.PathMismatch;
        if (m.Kind == MatchKind.Partial) return mkdirP ? MkdirP(m, p, new JsonArray(values)) : SubDocStatus.PathNotFound;
        if (m.Deepest is not JsonArray array) return SubDocStatus.PathMismatch;
        if (unique)
        {
            var candidate = (JsonScalar)values[0];
            foreach (var item in array.Items)
            {
                // compared as text, in order; a container met before a match makes uniqueness undecidable
                if (item is not JsonScalar s) return SubDocStatus.PathMismatch;
                if (s.Raw == candidate.Raw) return SubDocStatus.PathExists;
            }
        }
        array.Items.AddRange(values);
        return SubJsonResult.Ok;
    }

    /// <summary>ARRAY_INSERT: the path names the position (0..count; no negative index).</summary>
    private static SubJsonResult Insert(JsonNode root, List<PathComponent> p, ReadOnlySpan<byte> value)
    {
        var check = Values(value, series: true, primitive: false, MaxDepth - p.Count, out var values);
        if (check != KvStatus.Success) return check;
        if (p.Count == 0 || !p[^1].IsIndex || p[^1].Index < 0) return SubDocStatus.PathInvalid;
        var m = PathMatch.Find(root, p);
        if (m.Kind == MatchKind.Mismatch) return SubDocStatus.PathMismatch;
        if (m.Kind == MatchKind.Complete)
        {
            ((JsonArray)m.Parent!).Items.InsertRange(m.Slot, values);
            return SubJsonResult.Ok;
        }
        if (m.ImmediateParentFound(p.Count) && m.Deepest is JsonArray array && p[^1].Index == array.Items.Count)
        {
            array.Items.AddRange(values);
            return SubJsonResult.Ok;
        }
        return SubDocStatus.PathNotFound;
    }
}
