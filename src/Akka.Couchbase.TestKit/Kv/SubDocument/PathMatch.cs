using Akka.Couchbase.TestKit.Kv.SubDocument.Json;

namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>How far a path reaches into a JSON value.</summary>
internal enum MatchKind
{
    /// <summary>Every component exists.</summary>
    Complete,
    /// <summary>A component is missing; <see cref="PathMatch.Deepest"/> is the last value that exists.</summary>
    Partial,
    /// <summary>A component treats a value as the wrong type (a key on an array, an index on an object, anything on a primitive).</summary>
    Mismatch,
}

/// <summary>The result of following a path: the target and its container, or how far it got.</summary>
internal sealed class PathMatch
{
    private PathMatch(MatchKind kind, int matched, JsonNode deepest, JsonNode? parent, int slot)
    {
        Kind = kind;
        Matched = matched;
        Deepest = deepest;
        Parent = parent;
        Slot = slot;
    }

    public MatchKind Kind { get; }

    /// <summary>Components that exist.</summary>
    public int Matched { get; }

    /// <summary>The target (complete), or the deepest value that exists.</summary>
    public JsonNode Deepest { get; }

    /// <summary>The container of the target (complete matches of non-empty paths).</summary>
    public JsonNode? Parent { get; }

    /// <summary>The target's member or element index in <see cref="Parent"/>.</summary>
    public int Slot { get; }

    /// <summary>A partial match that found everything but the last component.</summary>
    public bool ImmediateParentFound(int pathLength) => Kind == MatchKind.Partial && Matched == pathLength - 1;

    public static PathMatch Find(JsonNode root, IReadOnlyList<PathComponent> path)
    {
        JsonNode node = root;
        JsonNode? parent = null;
        var slot = -1;
        for (var i = 0; i < path.Count; i++)
        {
            var c = path[i];
            switch (node)
            {
                case JsonObject obj when !c.IsIndex:
                    var m = obj.IndexOf(c.Name!);
                    if (m < 0) return new PathMatch(MatchKind.Partial, i, node, null, -1);
                    parent = node;
                    slot = m;
                    node = obj.Members[m].Value;
                    break;
                case JsonArray arr when c.IsIndex:
                    var at = c.Index == -1 ? arr.Items.Count - 1 : c.Index;
                    if (at < 0 || at >= arr.Items.Count) return new PathMatch(MatchKind.Partial, i, node, null, -1);
                    parent = node;
                    slot = (int)at;
                    node = arr.Items[slot];
                    break;
                default:
                    return new PathMatch(MatchKind.Mismatch, i, node, null, -1);
            }
        }
        return new PathMatch(MatchKind.Complete, path.Count, node, parent, slot);
    }
}
