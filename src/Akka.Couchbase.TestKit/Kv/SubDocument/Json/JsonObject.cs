using System.Text;

namespace Akka.Couchbase.TestKit.Kv.SubDocument.Json;

/// <summary>One member of a <see cref="JsonObject"/>: its name decoded (to match paths) and as written (to write back).</summary>
internal sealed class JsonMember
{
    public JsonMember(string name, string rawName, JsonNode value)
    {
        Name = name;
        RawName = rawName;
        Value = value;
    }

    /// <summary>The name with JSON escapes decoded.</summary>
    public string Name { get; }

    /// <summary>The name as JSON text between the quotes (escapes kept).</summary>
    public string RawName { get; }

    public JsonNode Value { get; set; }
}

/// <summary>A JSON object: its members in document order.</summary>
internal sealed class JsonObject : JsonNode
{
    public List<JsonMember> Members { get; } = new();

    /// <summary>Index of the first member named <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Members.Count; i++)
            if (string.Equals(Members[i].Name, name, StringComparison.Ordinal)) return i;
        return -1;
    }

    public override int Depth
    {
        get
        {
            var deepest = 0;
            foreach (var m in Members) deepest = Math.Max(deepest, m.Value.Depth);
            return 1 + deepest;
        }
    }

    public override void WriteTo(StringBuilder sb)
    {
        sb.Append('{');
        for (var i = 0; i < Members.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append('"').Append(Members[i].RawName).Append("\":");
            Members[i].Value.WriteTo(sb);
        }
        sb.Append('}');
    }

    public override void Visit(Action<JsonNode> visit)
    {
        visit(this);
        foreach (var m in Members) m.Value.Visit(visit);
    }
}
