using System.Text;

namespace Akka.Couchbase.TestKit.Kv.SubDocument.Json;

/// <summary>What kind of primitive a <see cref="JsonScalar"/> is.</summary>
internal enum JsonScalarKind
{
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>A JSON primitive kept as its exact text (a string with its quotes and escapes).</summary>
internal sealed class JsonScalar : JsonNode
{
    public JsonScalar(JsonScalarKind kind, string raw)
    {
        Kind = kind;
        Raw = raw;
    }

    public JsonScalarKind Kind { get; }

    /// <summary>The token's text; settable so a macro placeholder can be expanded in place.</summary>
    public string Raw { get; set; }

    /// <summary>A number written as an integer (no fraction, no exponent).</summary>
    public bool IsInteger => Kind == JsonScalarKind.Number && Raw.IndexOfAny(['.', 'e', 'E']) < 0;

    public override int Depth => 1;

    public override void WriteTo(StringBuilder sb) => sb.Append(Raw);

    public override void Visit(Action<JsonNode> visit) => visit(this);

    /// <summary>A JSON string holding <paramref name="text"/>, escaped as JSON requires.</summary>
    public static JsonScalar String(string text) =>
        new(JsonScalarKind.String, System.Text.Json.JsonSerializer.Serialize(text));

    /// <summary>A JSON number.</summary>
    public static JsonScalar Number(long value) =>
        new(JsonScalarKind.Number, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>true or false.</summary>
    public static JsonScalar Boolean(bool value) => new(value ? JsonScalarKind.True : JsonScalarKind.False, value ? "true" : "false");
}
