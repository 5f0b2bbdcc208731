using System.Globalization;
using System.Text;
using Newtonsoft.Json;

namespace Akka.Couchbase.Streams.Views;

/// <summary>
/// A view query: the design document, the view and every parameter of spec §9.2 (the original's <c>Query</c>
/// object). Keys are any JSON-serialisable values. <see cref="Validate"/> refuses contradictory parameters before
/// anything is sent. Documents are not asked of the views service (<c>include_docs</c>): they are fetched through KV
/// by <c>CouchbaseViews.QueryWithDocuments</c> / <c>IncludeDocuments</c>.
/// </summary>
public sealed record ViewQuery(string DesignDocument, string View)
{
    /// <summary>Only rows whose key equals this.</summary>
    public object? Key { get; init; }
    /// <summary>Only rows whose key is one of these (sent in a POST body).</summary>
    public IReadOnlyList<object?>? Keys { get; init; }
    /// <summary>First key (inclusive).</summary>
    public object? StartKey { get; init; }
    /// <summary>Last key (see <see cref="InclusiveEnd"/>).</summary>
    public object? EndKey { get; init; }
    /// <summary>Tie-break on document id for <see cref="StartKey"/>.</summary>
    public string? StartKeyDocId { get; init; }
    /// <summary>Tie-break on document id for <see cref="EndKey"/>.</summary>
    public string? EndKeyDocId { get; init; }
    /// <summary>Whether <see cref="EndKey"/> itself is included (server default: true).</summary>
    public bool? InclusiveEnd { get; init; }
    /// <summary>Reverse order.</summary>
    public bool Descending { get; init; }
    /// <summary>At most this many rows.</summary>
    public int? Limit { get; init; }
    /// <summary>Skip this many rows first.</summary>
    public int? Skip { get; init; }
    /// <summary>Index freshness.</summary>
    public ViewStale? Stale { get; init; }
    /// <summary>Use the reduce function (server default: true when the view has one).</summary>
    public bool? Reduce { get; init; }
    /// <summary>Group by the full key.</summary>
    public bool? Group { get; init; }
    /// <summary>Group by the first N elements of array keys.</summary>
    public int? GroupLevel { get; init; }
    /// <summary>Behaviour on a node error.</summary>
    public ViewOnError? OnError { get; init; }
    /// <summary>How long the merging node waits for the others.</summary>
    public TimeSpan? ConnectionTimeout { get; init; }
    /// <summary>Development views: use every vBucket.</summary>
    public bool FullSet { get; init; }
    /// <summary>Ask for <c>debug_info</c>.</summary>
    public bool Debug { get; init; }
    /// <summary>Query the development design document (<c>dev_</c> prefix).</summary>
    public bool Development { get; init; }

    /// <summary>The design document name as sent (with <c>dev_</c> for development views).</summary>
    public string DesignDocumentPath => Development && !DesignDocument.StartsWith("dev_", StringComparison.Ordinal)
        ? "dev_" + DesignDocument
        : DesignDocument;

    /// <summary>The view as queried, <c>design/view</c> (with <c>dev_</c> for development views).</summary>
    internal string Name => $"{DesignDocumentPath}/{View}";

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the view and the first parameter that cannot be sent as it is
    /// (a message <c>view design/view: limit must not be negative, was -1</c>).
    /// </summary>
    public ViewQuery Validate()
    {
        if (string.IsNullOrWhiteSpace(DesignDocument)) throw Bad("design document name is empty", nameof(DesignDocument));
        if (string.IsNullOrWhiteSpace(View)) throw Bad("view name is empty", nameof(View));
        if (Limit is < 0) throw Bad($"limit must not be negative, was {Limit}", nameof(Limit));
        if (Skip is < 0) throw Bad($"skip must not be negative, was {Skip}", nameof(Skip));
        if (GroupLevel is < 0) throw Bad($"group_level must not be negative, was {GroupLevel}", nameof(GroupLevel));
        if (Group == true && GroupLevel is not null)
            throw Bad("group and group_level cannot be used together", nameof(GroupLevel));
        if (Key is not null && Keys is not null) throw Bad("key and keys cannot be used together", nameof(Keys));
        if (Reduce == false && (Group == true || GroupLevel is not null))
            throw Bad("group and group_level need reduce", nameof(Reduce));
        if (ConnectionTimeout is { } t && t <= TimeSpan.Zero)
            throw Bad($"connection_timeout must be positive, was {t}", nameof(ConnectionTimeout));
        CheckJson("key", Key, nameof(Key));
        CheckJson("startkey", StartKey, nameof(StartKey));
        CheckJson("endkey", EndKey, nameof(EndKey));
        CheckJson("keys", Keys, nameof(Keys));
        return this;
    }

    private void CheckJson(string name, object? value, string parameter)
    {
        if (value is null) return;
        try
        {
            Json(value);
        }
        catch (JsonException e)
        {
            throw Bad($"{name} cannot be written as JSON ({e.Message})", parameter);
        }
    }

    private ArgumentException Bad(string what, string parameter) =>
        new($"view {(string.IsNullOrWhiteSpace(DesignDocument) || string.IsNullOrWhiteSpace(View) ? $"'{DesignDocument}/{View}'" : Name)}: {what}", parameter);

    /// <summary>The query string (without <c>?</c>), every value encoded per spec §9.2.</summary>
    public string QueryString()
    {
        var sb = new StringBuilder();
        void Add(string name, string value)
        {
            if (sb.Length > 0) sb.Append('&');
            sb.Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
        if (Key is not null) Add("key", Json(Key));
        if (StartKey is not null) Add("startkey", Json(StartKey));
        if (EndKey is not null) Add("endkey", Json(EndKey));
        if (StartKeyDocId is not null) Add("startkey_docid", StartKeyDocId);
        if (EndKeyDocId is not null) Add("endkey_docid", EndKeyDocId);
        if (InclusiveEnd is { } ie) Add("inclusive_end", Bool(ie));
        if (Descending) Add("descending", "true");
        if (Limit is { } limit) Add("limit", limit.ToString(CultureInfo.InvariantCulture));
        if (Skip is { } skip) Add("skip", skip.ToString(CultureInfo.InvariantCulture));
        if (Stale is { } stale) Add("stale", stale switch { ViewStale.False => "false", ViewStale.Ok => "ok", _ => "update_after" });
        if (Reduce is { } reduce) Add("reduce", Bool(reduce));
        if (Group is { } group) Add("group", Bool(group));
        if (GroupLevel is { } level) Add("group_level", level.ToString(CultureInfo.InvariantCulture));
        if (OnError is { } onError) Add("on_error", onError == ViewOnError.Stop ? "stop" : "continue");
        if (ConnectionTimeout is { } ct) Add("connection_timeout", ((long)ct.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        if (FullSet) Add("full_set", "true");
        if (Debug) Add("debug", "true");
        return sb.ToString();
    }

    /// <summary>The POST body for <see cref="Keys"/>, or null.</summary>
    public string? Body() => Keys is null ? null : JsonConvert.SerializeObject(new { keys = Keys });

    private static string Json(object value) => JsonConvert.SerializeObject(value, Formatting.None);

    private static string Bool(bool value) => value ? "true" : "false";
}
