using System.Text;

namespace Akka.Couchbase.TestKit.Kv.SubDocument.Json;

/// <summary>A JSON array: its elements in order.</summary>
internal sealed class JsonArray : JsonNode
{
    public JsonArray(List<JsonNode>? items = null) => Items = items ?? new List<JsonNode>();

    public List<JsonNode> Items { get; }

    public override int Depth
    {
        get
        {
            var deepest = 0;
            foreach (var item in Items) deepest = Math.Max(deepest, item.Depth);
            return 1 + deepest;
        }
    }

    public override void WriteTo(StringBuilder sb)
    {
        sb.Append('[');
        for (var i = 0; i < Items.Count; i++)
        {
            if (i > 0) sb.Append(',');
            Items[i].WriteTo(sb);
        }
        sb.Append(']');
    }

    public override void Visit(Action<JsonNode> visit)
    {
        visit(this);
        foreach (var item in Items) item.Visit(visit);
    }
}
