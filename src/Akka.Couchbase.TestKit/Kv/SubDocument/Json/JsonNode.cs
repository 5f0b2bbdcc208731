using System.Text;

namespace Akka.Couchbase.TestKit.Kv.SubDocument.Json;

/// <summary>
/// A JSON value as the sub-document engine edits it: containers as trees, primitives as their exact text, so what
/// a path reads back is what was written (numbers and escapes are never re-encoded).
/// </summary>
internal abstract class JsonNode
{
    /// <summary>The levels this value occupies: 1 for a primitive or an empty container, 1 + the deepest child otherwise.</summary>
    public abstract int Depth { get; }

    /// <summary>Appends the value's JSON text (without insignificant whitespace).</summary>
    public abstract void WriteTo(StringBuilder sb);

    /// <summary>Calls <paramref name="visit"/> on this value and every value inside it.</summary>
    public abstract void Visit(Action<JsonNode> visit);

    /// <summary>The value's JSON text.</summary>
    public string ToJson()
    {
        var sb = new StringBuilder();
        WriteTo(sb);
        return sb.ToString();
    }

    /// <summary>The value's JSON text as UTF-8.</summary>
    public byte[] ToUtf8() => Encoding.UTF8.GetBytes(ToJson());
}
