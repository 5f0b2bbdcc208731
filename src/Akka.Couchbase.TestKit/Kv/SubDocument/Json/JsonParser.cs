using System.Text;
using System.Text.Json;

namespace Akka.Couchbase.TestKit.Kv.SubDocument.Json;

/// <summary>
/// Strict JSON (RFC 8259: no comments, no trailing commas) into <see cref="JsonNode"/> trees, keeping each
/// primitive's text. Documents, xattr values and the values of sub-document specs are read with it.
/// </summary>
internal static class JsonParser
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 1024 };

    /// <summary>Parses one JSON value (surrounding whitespace allowed); null when the text is not JSON.</summary>
    public static JsonNode? TryParse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, Options);
            if (!reader.Read()) return null;
            var node = ReadValue(ref reader);
            return reader.Read() ? null : node; // Read() throws on trailing text; true would be a second value
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Parses the value of a spec as a series of array elements (<c>1,"two",[3]</c>), as the server checks values
    /// inserted into arrays; a dictionary value is the same with exactly one element. Null when not JSON or empty.
    /// </summary>
    public static List<JsonNode>? TryParseElements(ReadOnlySpan<byte> utf8)
    {
        var wrapped = new byte[utf8.Length + 2];
        wrapped[0] = (byte)'[';
        utf8.CopyTo(wrapped.AsSpan(1));
        wrapped[^1] = (byte)']';
        return TryParse(wrapped) is JsonArray { Items.Count: > 0 } array ? array.Items : null;
    }

    private static JsonNode ReadValue(ref Utf8JsonReader reader)
    {
        // iterative, so a deep document cannot exhaust the stack
        var stack = new Stack<(JsonNode Container, string? Name, string? RawName)>();
        string? name = null, rawName = null;
        JsonNode? result = null;
        do
        {
            JsonNode? completed = null;
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    stack.Push((new JsonObject(), name, rawName));
                    name = rawName = null;
                    continue;
                case JsonTokenType.StartArray:
                    stack.Push((new JsonArray(), name, rawName));
                    name = rawName = null;
                    continue;
                case JsonTokenType.PropertyName:
                    name = reader.GetString();
                    rawName = Encoding.UTF8.GetString(reader.ValueSpan);
                    continue;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    var (container, n, rn) = stack.Pop();
                    completed = container;
                    name = n;
                    rawName = rn;
                    break;
                case JsonTokenType.String:
                    completed = new JsonScalar(JsonScalarKind.String, "\"" + Encoding.UTF8.GetString(reader.ValueSpan) + "\"");
                    break;
                case JsonTokenType.Number:
                    completed = new JsonScalar(JsonScalarKind.Number, Encoding.UTF8.GetString(reader.ValueSpan));
                    break;
                case JsonTokenType.True:
                    completed = new JsonScalar(JsonScalarKind.True, "true");
                    break;
                case JsonTokenType.False:
                    completed = new JsonScalar(JsonScalarKind.False, "false");
                    break;
                case JsonTokenType.Null:
                    completed = new JsonScalar(JsonScalarKind.Null, "null");
                    break;
                default:
                    throw new JsonException("unexpected token " + reader.TokenType);
            }
            if (stack.Count == 0)
            {
                result = completed;
                break;
            }
            var parent = stack.Peek().Container;
            if (parent is JsonObject obj) obj.Members.Add(new JsonMember(name!, rawName!, completed));
            else ((JsonArray)parent).Items.Add(completed);
            name = rawName = null;
        } while (reader.Read());
        return result ?? throw new JsonException("truncated");
    }
}
