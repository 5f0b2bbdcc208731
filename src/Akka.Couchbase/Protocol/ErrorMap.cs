using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.Protocol;

/// <summary>
/// A server's error map, the reply to GET_ERROR_MAP (spec §2.7): what each status code means and how a client
/// should react to it. Of two maps, keep the one with the higher <see cref="Revision"/>. Immutable.
/// </summary>
internal sealed class ErrorMap
{
    private readonly Dictionary<ushort, ErrorMapEntry> _entries;

    private ErrorMap(int version, int revision, Dictionary<ushort, ErrorMapEntry> entries)
    {
        Version = version;
        Revision = revision;
        _entries = entries;
    }

    /// <summary>The map format version (1 or 2).</summary>
    public int Version { get; }

    /// <summary>The map revision; higher is newer.</summary>
    public int Revision { get; }

    /// <summary>All entries by status code.</summary>
    public IReadOnlyDictionary<ushort, ErrorMapEntry> Entries => _entries;

    /// <summary>The entry for <paramref name="status"/>, if the map has one.</summary>
    public bool TryGet(ushort status, [MaybeNullWhen(false)] out ErrorMapEntry entry) =>
        _entries.TryGetValue(status, out entry);

    /// <summary>
    /// Parses the JSON document: <c>version</c>, <c>revision</c> and <c>errors</c>, whose keys are status codes in
    /// lowercase hex without <c>0x</c>. Unknown members (such as the legacy <c>retry</c> object) are ignored.
    /// </summary>
    /// <remarks>
    /// The text comes from the server: whatever it holds, the only exception it can cause is a
    /// <see cref="FormatException"/> (a number of any size included), after which a client goes on without a map.
    /// </remarks>
    /// <exception cref="FormatException">The text is not JSON or a required field is missing or malformed; the message names the field.</exception>
    public static ErrorMap Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JObject root;
        try
        {
            using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
            root = JToken.ReadFrom(reader) as JObject ?? throw new FormatException("error map is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"error map is not valid JSON: {ex.Message}", ex);
        }

        var version = RequiredInt(root, "version");
        var revision = RequiredInt(root, "revision");
        if (root["errors"] is not JObject errors) throw new FormatException("error map field 'errors' is missing or not an object");

        var entries = new Dictionary<ushort, ErrorMapEntry>(errors.Count);
        foreach (var property in errors.Properties())
        {
            var path = "errors." + property.Name;
            if (!ushort.TryParse(property.Name, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                throw new FormatException($"error map field '{path}' is not a status code in hex");
            if (property.Value is not JObject body) throw new FormatException($"error map field '{path}' is not an object");

            var name = body["name"] is { Type: JTokenType.String } n
                ? (string)n!
                : throw new FormatException($"error map field '{path}.name' is missing or not a string");
            var desc = body["desc"] is { Type: JTokenType.String } d ? (string)d! : "";
            var attrs = new HashSet<string>(StringComparer.Ordinal);
            if (body["attrs"] is { } attrToken && attrToken.Type != JTokenType.Null)
            {
                if (attrToken is not JArray array) throw new FormatException($"error map field '{path}.attrs' is not an array");
                foreach (var item in array)
                    if (item.Type == JTokenType.String) attrs.Add((string)item!);
            }
            entries[code] = new ErrorMapEntry(name, desc, attrs);
        }
        return new ErrorMap(version, revision, entries);
    }

    // An integer beyond 64 bits is held as a BigInteger, not a long: out of range too.
    private static int RequiredInt(JObject root, string field) =>
        root[field] is JValue { Type: JTokenType.Integer, Value: long value } && value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw new FormatException($"error map field '{field}' is missing or not a 32-bit integer");
}
