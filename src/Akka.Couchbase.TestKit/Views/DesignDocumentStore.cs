using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Views;

/// <summary>
/// The design documents of a cluster, per bucket. Every PUT is validated: the body must be a JSON object,
/// each view needs a <c>map</c> string, and every map and reduce must compile as a JavaScript function (or
/// name a built-in reduce). Thread-safe.
/// </summary>
public sealed class DesignDocumentStore
{
    private const string DesignPrefix = "_design/";

    private readonly object _lock = new();
    private readonly Dictionary<string, Dictionary<string, DesignDocument>> _byBucket = new(StringComparer.Ordinal);
    private readonly HashSet<(string Bucket, string Name)> _deleted = new();
    private readonly Dictionary<(string Bucket, string Name), int> _revisions = new();

    /// <summary>
    /// Creates or replaces a design document. <paramref name="ddocName"/> may carry the <c>_design/</c> prefix.
    /// Throws <see cref="DesignDocumentException"/> when the document is invalid.
    /// </summary>
    public DesignDocument Put(string bucket, string ddocName, string json)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentNullException.ThrowIfNull(ddocName);
        ArgumentNullException.ThrowIfNull(json);
        var name = NormalizeName(ddocName);
        if (name.Length == 0) throw new DesignDocumentException("design document name is empty");

        var (body, views) = Parse(json);
        var engine = JsViewEngine.Compile(views);

        lock (_lock)
        {
            var key = (bucket, name);
            var n = _revisions.TryGetValue(key, out var r) ? r + 1 : 1;
            _revisions[key] = n;
            var revision = n.ToString(CultureInfo.InvariantCulture) + "-"
                + ((uint)HashCode.Combine(body, n)).ToString("x8", CultureInfo.InvariantCulture);
            var doc = new DesignDocument(bucket, name, body, revision, views, engine);
            if (!_byBucket.TryGetValue(bucket, out var docs))
                _byBucket[bucket] = docs = new Dictionary<string, DesignDocument>(StringComparer.Ordinal);
            docs[name] = doc;
            _deleted.Remove(key);
            return doc;
        }
    }

    /// <summary>The design document, or null when it does not exist.</summary>
    public DesignDocument? Get(string bucket, string ddocName)
    {
        var name = NormalizeName(ddocName);
        lock (_lock)
        {
            return _byBucket.TryGetValue(bucket, out var docs) && docs.TryGetValue(name, out var doc) ? doc : null;
        }
    }

    /// <summary>True when the design document existed and was deleted (and not re-created since).</summary>
    public bool WasDeleted(string bucket, string ddocName)
    {
        var name = NormalizeName(ddocName);
        lock (_lock)
        {
            return _deleted.Contains((bucket, name));
        }
    }

    /// <summary>Deletes a design document; false when there was none.</summary>
    public bool Delete(string bucket, string ddocName)
    {
        var name = NormalizeName(ddocName);
        lock (_lock)
        {
            if (!_byBucket.TryGetValue(bucket, out var docs) || !docs.Remove(name)) return false;
            _deleted.Add((bucket, name));
            return true;
        }
    }

    /// <summary>The design documents of a bucket, ordered by name.</summary>
    public IReadOnlyList<DesignDocument> List(string bucket)
    {
        lock (_lock)
        {
            return _byBucket.TryGetValue(bucket, out var docs)
                ? docs.Values.OrderBy(d => d.Name, StringComparer.Ordinal).ToList()
                : Array.Empty<DesignDocument>();
        }
    }

    /// <summary>
    /// The body of the cluster manager's <c>GET /pools/default/buckets/{bucket}/ddocs</c>:
    /// <c>{"rows":[{"doc":{"meta":{"id","rev"},"json":{...}},"controllers":{...}}]}</c>.
    /// </summary>
    public string ListJson(string bucket)
    {
        var rows = new JArray();
        foreach (var doc in List(bucket))
        {
            var controller = "/pools/default/buckets/" + Uri.EscapeDataString(bucket) + "/ddocs/"
                + Uri.EscapeDataString(doc.Id) + "/controller/";
            rows.Add(new JObject
            {
                ["doc"] = new JObject
                {
                    ["meta"] = new JObject { ["id"] = doc.Id, ["rev"] = doc.Revision },
                    ["json"] = ViewQuery.ParseJson(doc.Json),
                },
                ["controllers"] = new JObject
                {
                    ["compact"] = controller + "compactView",
                    ["setUpdateMinChanges"] = controller + "setUpdateMinChanges",
                },
            });
        }
        return new JObject { ["rows"] = rows }.ToString(Formatting.None);
    }

    /// <summary>Forgets every design document of a bucket (when the bucket is deleted or flushed away).</summary>
    public void RemoveBucket(string bucket)
    {
        lock (_lock)
        {
            _byBucket.Remove(bucket);
            _deleted.RemoveWhere(k => k.Bucket == bucket);
            foreach (var key in _revisions.Keys.Where(k => k.Bucket == bucket).ToList()) _revisions.Remove(key);
        }
    }

    /// <summary>Strips a <c>_design/</c> prefix.</summary>
    internal static string NormalizeName(string ddocName) =>
        ddocName.StartsWith(DesignPrefix, StringComparison.Ordinal) ? ddocName[DesignPrefix.Length..] : ddocName;

    private static (string Body, IReadOnlyDictionary<string, ViewDefinition> Views) Parse(string json)
    {
        JToken root;
        try
        {
            using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
            root = JToken.ReadFrom(reader);
            if (reader.Read() && reader.TokenType != JsonToken.Comment)
                throw new DesignDocumentException("invalid JSON: additional content after the document");
        }
        catch (JsonException ex)
        {
            throw new DesignDocumentException("invalid JSON: " + ex.Message);
        }
        if (root is not JObject obj) throw new DesignDocumentException("the design document must be a JSON object");

        if (obj["language"] is { } language && !(language.Type == JTokenType.String && (string?)language == "javascript"))
            throw new DesignDocumentException("language must be \"javascript\"");

        var views = new Dictionary<string, ViewDefinition>(StringComparer.Ordinal);
        switch (obj["views"])
        {
            case null:
            case { Type: JTokenType.Null }:
                break;
            case JObject viewsObj:
                foreach (var prop in viewsObj.Properties())
                {
                    if (prop.Value is not JObject view)
                        throw new DesignDocumentException($"view '{prop.Name}' must be an object");
                    if (view["map"] is not JValue { Type: JTokenType.String } map)
                        throw new DesignDocumentException($"view '{prop.Name}' has no map function");
                    string? reduce = null;
                    switch (view["reduce"])
                    {
                        case null:
                        case { Type: JTokenType.Null }:
                            break;
                        case JValue { Type: JTokenType.String } r:
                            reduce = (string)r!;
                            var trimmed = reduce.Trim();
                            if (trimmed.StartsWith('_') && !ViewDefinition.BuiltInReduces.Contains(trimmed))
                                throw new DesignDocumentException(
                                    $"view '{prop.Name}': unknown built-in reduce function {trimmed}");
                            break;
                        default:
                            throw new DesignDocumentException($"view '{prop.Name}': reduce must be a string");
                    }
                    views[prop.Name] = new ViewDefinition(prop.Name, (string)map!, reduce);
                }
                break;
            default:
                throw new DesignDocumentException("views must be an object");
        }
        return (obj.ToString(Formatting.None), views);
    }
}
