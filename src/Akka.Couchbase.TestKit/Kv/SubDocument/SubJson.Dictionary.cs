using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Kv.SubDocument.Json;

namespace Akka.Couchbase.TestKit.Kv.SubDocument;

internal static partial class SubJson
{
    /// <summary>DICT_ADD, DICT_UPSERT and REPLACE (REPLACE may also name an array element).</summary>
    private static SubJsonResult StoreDict(SubJsonCommand command, JsonNode root, List<PathComponent> p, ReadOnlySpan<byte> value, bool mkdirP)
    {
        if (p.Count == 0) return SubDocStatus.ValueCantInsert;
        var check = Values(value, series: false, primitive: false, MaxDepth - p.Count, out var values);
        if (check != KvStatus.Success) return check;
        return StoreDict(command, root, p, values[0], mkdirP);
    }

    private static SubJsonResult StoreDict(SubJsonCommand command, JsonNode root, List<PathComponent> p, JsonNode value, bool mkdirP)
    {
        var m = PathMatch.Find(root, p);
        if (m.Kind == MatchKind.Mismatch) return SubDocStatus.PathMismatch;
        if (command != SubJsonCommand.Replace && p[^1].IsIndex) return SubDocStatus.PathInvalid;
        if (m.Kind == MatchKind.Partial)
        {
            if (command == SubJsonCommand.Replace) return SubDocStatus.PathNotFound;
            if (!m.ImmediateParentFound(p.Count)) return mkdirP ? MkdirP(m, p, value) : SubDocStatus.PathNotFound;
            var parent = (JsonObject)m.Deepest; // a key below an array would have been a mismatch
            parent.Members.Add(new JsonMember(p[^1].Name!, p[^1].RawName!, value));
            return SubJsonResult.Ok;
        }
        if (command == SubJsonCommand.DictAdd) return SubDocStatus.PathExists;
        if (m.Parent is JsonObject o) o.Members[m.Slot].Value = value;
        else ((JsonArray)m.Parent!).Items[m.Slot] = value;
        return SubJsonResult.Ok;
    }
}
