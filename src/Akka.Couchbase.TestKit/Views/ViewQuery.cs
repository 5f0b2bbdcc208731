using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Views;

/// <summary>
/// The validated parameters of one view query (see the protocol reference §9.2). Created by
/// <see cref="Parse"/>, which rejects bad values with a 400 <c>query_parse_error</c>.
/// </summary>
public sealed class ViewQuery
{
    private ViewQuery()
    {
    }

    /// <summary><c>key</c>: only rows with this key.</summary>
    public JToken? Key { get; private init; }

    /// <summary><c>keys</c> (query string or POST body): rows with any of these keys, in this order.</summary>
    public IReadOnlyList<JToken>? Keys { get; private init; }

    /// <summary><c>startkey</c>.</summary>
    public JToken? StartKey { get; private init; }

    /// <summary><c>endkey</c>.</summary>
    public JToken? EndKey { get; private init; }

    /// <summary><c>startkey_docid</c>.</summary>
    public string? StartKeyDocId { get; private init; }

    /// <summary><c>endkey_docid</c>.</summary>
    public string? EndKeyDocId { get; private init; }

    /// <summary><c>inclusive_end</c>, default true.</summary>
    public bool InclusiveEnd { get; private init; } = true;

    /// <summary><c>descending</c>, default false.</summary>
    public bool Descending { get; private init; }

    /// <summary><c>limit</c>, null for no limit.</summary>
    public int? Limit { get; private init; }

    /// <summary><c>skip</c>, default 0.</summary>
    public int Skip { get; private init; }

    /// <summary><c>stale</c>: <c>false</c>, <c>ok</c> or <c>update_after</c> (the default). Indexes are always fresh here.</summary>
    public string Stale { get; private init; } = "update_after";

    /// <summary>Whether the reduce runs (the <c>reduce</c> parameter, defaulting to whether the view has one).</summary>
    public bool Reduce { get; private init; }

    /// <summary><c>group</c>, default false.</summary>
    public bool Group { get; private init; }

    /// <summary><c>group_level</c>, null when absent.</summary>
    public int? GroupLevel { get; private init; }

    /// <summary><c>on_error</c>: <c>continue</c> (default) or <c>stop</c>. Validated; one process answers for the whole cluster, so there are no partial failures to report.</summary>
    public string OnError { get; private init; } = "continue";

    /// <summary><c>connection_timeout</c> in milliseconds, default 60000. Validated only (no other nodes to wait for).</summary>
    public int ConnectionTimeout { get; private init; } = 60000;

    /// <summary><c>full_set</c>, default false. Validated only: development views index every document here.</summary>
    public bool FullSet { get; private init; }

    /// <summary><c>debug</c>, default false: when true the response carries <c>debug_info</c>.</summary>
    public bool Debug { get; private init; }

    /// <summary>
    /// Parses and validates query parameters. <paramref name="postBody"/> is the body of a POST
    /// (<c>{"keys":[...]}</c>), or null. <paramref name="viewHasReduce"/> decides the default of <c>reduce</c>
    /// and which combinations are legal.
    /// </summary>
    public static ViewQuery Parse(IReadOnlyDictionary<string, string> query, string? postBody, bool viewHasReduce)
    {
        ArgumentNullException.ThrowIfNull(query);
        string? Get(params string[] names)
        {
            foreach (var n in names)
                if (query.TryGetValue(n, out var v)) return v;
            return null;
        }

        var key = Json(Get("key"), "key");
        var keys = Json(Get("keys"), "keys");
        if (postBody != null && postBody.Trim().Length > 0)
        {
            JToken body;
            try
            {
                body = ParseJson(postBody);
            }
            catch (JsonException ex)
            {
                throw new ViewQueryException(400, "bad_request", "invalid JSON body: " + ex.Message);
            }
            if (body is not JObject obj)
                throw new ViewQueryException(400, "bad_request", "the POST body must be a JSON object");
            if (obj["keys"] is { } bodyKeys) keys = bodyKeys;
        }
        if (keys != null && keys is not JArray)
            throw ViewQueryException.ParseError("`keys` must be a JSON array");
        if (key != null && keys != null)
            throw ViewQueryException.ParseError("`keys` is incompatible with `key`");

        var descending = Bool(Get("descending"), "descending", false);
        var startKey = Json(Get("startkey", "start_key"), "startkey");
        var endKey = Json(Get("endkey", "end_key"), "endkey");

        var reduceParam = Get("reduce");
        var reduce = Bool(reduceParam, "reduce", viewHasReduce);
        if (reduce && !viewHasReduce)
            throw ViewQueryException.ParseError("Invalid URL parameter `reduce` for map view.");

        var groupParam = Get("group");
        var group = Bool(groupParam, "group", false);
        var groupLevelParam = Get("group_level");
        var groupLevel = Int(groupLevelParam, "group_level");
        if (group && groupLevel != null)
            throw ViewQueryException.ParseError("Query parameter `group_level` is not compatible with `group`");
        if ((group || groupLevel != null) && !reduce)
            throw ViewQueryException.ParseError(viewHasReduce
                ? "Invalid URL parameter `group` or `group_level` with `reduce=false`"
                : "Invalid URL parameter `group` or `group_level` for non-reduce view.");
        if (keys != null && reduce && !group && groupLevel == null)
            throw ViewQueryException.ParseError("Multi-key fetches for reduce views must use `group=true`");

        if (startKey != null && endKey != null)
        {
            var c = ViewCollation.Compare(startKey, endKey);
            if (descending ? c < 0 : c > 0)
                throw ViewQueryException.ParseError(
                    "No rows can match your key range, reverse your start_key and end_key or set descending="
                    + (descending ? "false" : "true"));
        }

        var stale = Get("stale") ?? "update_after";
        if (stale is not ("false" or "ok" or "update_after"))
            throw ViewQueryException.ParseError($"Invalid value for parameter `stale`: \"{stale}\" (expected false, ok or update_after)");
        var onError = Get("on_error") ?? "continue";
        if (onError is not ("continue" or "stop"))
            throw ViewQueryException.ParseError($"Invalid value for parameter `on_error`: \"{onError}\" (expected continue or stop)");

        return new ViewQuery
        {
            Key = key,
            Keys = (keys as JArray)?.ToList(),
            StartKey = startKey,
            EndKey = endKey,
            StartKeyDocId = Get("startkey_docid", "start_key_doc_id"),
            EndKeyDocId = Get("endkey_docid", "end_key_doc_id"),
            InclusiveEnd = Bool(Get("inclusive_end"), "inclusive_end", true),
            Descending = descending,
            Limit = Int(Get("limit"), "limit"),
            Skip = Int(Get("skip"), "skip") ?? 0,
            Stale = stale,
            Reduce = reduce,
            Group = group,
            GroupLevel = groupLevel,
            OnError = onError,
            ConnectionTimeout = Int(Get("connection_timeout"), "connection_timeout") ?? 60000,
            FullSet = Bool(Get("full_set"), "full_set", false),
            Debug = Bool(Get("debug"), "debug", false),
        };
    }

    /// <summary>
    /// Parses exactly one JSON value the way parameters are parsed (no date conversion, floats as doubles);
    /// throws <see cref="JsonException"/> on malformed or trailing content.
    /// </summary>
    public static JToken ParseJson(string text)
    {
        using var reader = new JsonTextReader(new StringReader(text))
        {
            DateParseHandling = DateParseHandling.None,
            FloatParseHandling = FloatParseHandling.Double,
        };
        var token = JToken.ReadFrom(reader);
        if (reader.Read()) throw new JsonReaderException("additional content after the JSON value");
        return token;
    }

    private static JToken? Json(string? raw, string name)
    {
        if (raw == null) return null;
        try
        {
            return ParseJson(raw);
        }
        catch (JsonException)
        {
            throw ViewQueryException.ParseError($"Invalid JSON value for parameter `{name}`: {raw}");
        }
    }

    private static bool Bool(string? raw, string name, bool fallback) => raw switch
    {
        null => fallback,
        "true" => true,
        "false" => false,
        _ => throw ViewQueryException.ParseError($"Invalid value for boolean parameter `{name}`: \"{raw}\""),
    };

    private static int? Int(string? raw, string name)
    {
        if (raw == null) return null;
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            throw ViewQueryException.ParseError($"Invalid value for integer parameter `{name}`: \"{raw}\"");
        return n;
    }
}
