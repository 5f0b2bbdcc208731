using Akka.Couchbase.TestKit.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Views;

/// <summary>
/// The views REST API (the <c>capi</c> port): design documents (<c>GET/PUT/DELETE /{bucket}/_design/{ddoc}</c>)
/// and queries (<c>GET/POST /{bucket}/_design/{ddoc}/_view/{view}</c>), answered from indexes built by
/// running the map functions over the bucket's documents. A bucket in the path may carry a
/// <c>+{uuid}</c> (<c>%2B{uuid}</c>) suffix. Every request needs HTTP Basic credentials accepted by the
/// authenticate callback.
/// </summary>
public sealed class ViewService
{
    private static readonly KeyValuePair<string, string>[] Unauthorized =
    {
        new("WWW-Authenticate", "Basic realm=\"Couchbase Server Admin / REST\""),
    };

    private readonly IViewDocumentSource _source;
    private readonly DesignDocumentStore _designDocs;
    private readonly Func<string, string, bool> _authenticate;
    private readonly ViewFaults _faults;
    private long _rowsProduced;
    private long _queries;
    private long _indexBuilds;

    /// <summary>Creates the service.</summary>
    /// <param name="source">The documents to index.</param>
    /// <param name="designDocs">The cluster's design documents.</param>
    /// <param name="authenticate">Checks a Basic-auth user name and password.</param>
    /// <param name="faults">Fault injection applied to query responses.</param>
    public ViewService(IViewDocumentSource source, DesignDocumentStore designDocs,
        Func<string, string, bool> authenticate, ViewFaults faults)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _designDocs = designDocs ?? throw new ArgumentNullException(nameof(designDocs));
        _authenticate = authenticate ?? throw new ArgumentNullException(nameof(authenticate));
        _faults = faults ?? throw new ArgumentNullException(nameof(faults));
    }

    /// <summary>The fault hooks this service applies.</summary>
    public ViewFaults Faults => _faults;

    /// <summary>Rows serialised into query responses so far (all queries). Grows only as fast as clients read.</summary>
    public long RowsProduced => Interlocked.Read(ref _rowsProduced);

    /// <summary>
    /// Chunks of query responses that the socket did not take at once: the client reads slower than rows are
    /// produced, or not at all. <see cref="BlockedWrite.Progress"/> is the rows serialised into that response so far.
    /// </summary>
    public BlockedWrites BlockedWrites { get; } = new();

    /// <summary>The ends of query responses, each with the rows produced for it and how it ended.</summary>
    public ViewResponses Responses { get; } = new();

    /// <summary>View queries answered (or started) so far.</summary>
    public long QueryCount => Interlocked.Read(ref _queries);

    /// <summary>How many times an index was (re)built.</summary>
    public long IndexBuildCount => Interlocked.Read(ref _indexBuilds);

    /// <summary>True when the request path is one this service answers (<c>/{bucket}/_design/...</c>).</summary>
    public static bool Handles(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var segments = Segments(request.RawPath);
        return segments.Length >= 3 && segments[1] == "_design";
    }

    /// <summary>Answers one request. Errors become <c>{"error":...,"reason":...}</c> responses.</summary>
    public async Task HandleAsync(HttpRequest req, HttpResponse resp, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(req);
        ArgumentNullException.ThrowIfNull(resp);
        try
        {
            await DispatchAsync(req, resp, ct).ConfigureAwait(false);
        }
        catch (ViewQueryException ex) when (!resp.HeadersSent)
        {
            await WriteErrorAsync(resp, ex.Status, ex.Error, ex.Reason).ConfigureAwait(false);
        }
        catch (DesignDocumentException ex) when (!resp.HeadersSent)
        {
            await WriteErrorAsync(resp, 400, "invalid_design_document", ex.Reason).ConfigureAwait(false);
        }
    }

    private async Task DispatchAsync(HttpRequest req, HttpResponse resp, CancellationToken ct)
    {
        var segments = Segments(req.RawPath);
        if (segments.Length < 3 || segments[1] != "_design")
            throw new ViewQueryException(404, "not_found", "missing");

        if (req.ClientCertificateUser is null
            && (!req.TryGetBasicAuth(out var user, out var password) || !_authenticate(user, password)))
        {
            await resp.WriteHeadAsync(401, "application/json", chunked: false, Unauthorized).ConfigureAwait(false);
            await resp.WriteAsync(ErrorJson("unauthorized", "Authentication is required and has failed or not been provided")).ConfigureAwait(false);
            await resp.EndAsync().ConfigureAwait(false);
            return;
        }

        var bucket = BucketName(segments[0]);
        if (!_source.BucketExists(bucket))
            throw new ViewQueryException(404, "not_found", "no_such_bucket");

        var ddocName = segments[2];
        if (segments.Length == 3)
        {
            await DesignDocumentAsync(req, resp, bucket, ddocName).ConfigureAwait(false);
            return;
        }
        if (segments.Length == 5 && segments[3] == "_view")
        {
            if (req.Method is not ("GET" or "POST" or "HEAD"))
                throw new ViewQueryException(405, "method_not_allowed", "Only GET,POST,HEAD allowed");
            await QueryAsync(req, resp, bucket, ddocName, segments[4], ct).ConfigureAwait(false);
            return;
        }
        throw new ViewQueryException(404, "not_found", "missing");
    }

    private async Task DesignDocumentAsync(HttpRequest req, HttpResponse resp, string bucket, string name)
    {
        switch (req.Method)
        {
            case "GET":
            case "HEAD":
            {
                var ddoc = _designDocs.Get(bucket, name) ?? throw Missing(bucket, name);
                var meta = new JObject { ["id"] = ddoc.Id, ["rev"] = ddoc.Revision, ["type"] = "json" };
                await resp.WriteHeadAsync(200, "application/json", chunked: false,
                    new[] { new KeyValuePair<string, string>("X-Couchbase-Meta", meta.ToString(Formatting.None)) }).ConfigureAwait(false);
                await resp.WriteAsync(ddoc.Json).ConfigureAwait(false);
                await resp.EndAsync().ConfigureAwait(false);
                return;
            }
            case "PUT":
            {
                var ddoc = _designDocs.Put(bucket, name, req.BodyText);
                await resp.WriteJsonAsync(201, "{\"ok\":true,\"id\":" + JsonConvert.ToString(ddoc.Id) + "}").ConfigureAwait(false);
                return;
            }
            case "DELETE":
            {
                if (!_designDocs.Delete(bucket, name)) throw Missing(bucket, name);
                var id = "_design/" + DesignDocumentStore.NormalizeName(name);
                await resp.WriteJsonAsync(200, "{\"ok\":true,\"id\":" + JsonConvert.ToString(id) + "}").ConfigureAwait(false);
                return;
            }
            default:
                throw new ViewQueryException(405, "method_not_allowed", "Only GET,PUT,DELETE,HEAD allowed");
        }
    }

    private ViewQueryException Missing(string bucket, string name) =>
        new(404, "not_found", _designDocs.WasDeleted(bucket, name) ? "deleted" : "missing");

    private async Task QueryAsync(HttpRequest req, HttpResponse resp, string bucket, string ddocName, string viewName,
        CancellationToken ct)
    {
        Interlocked.Increment(ref _queries);
        if (_faults.TryTakeError(out var injectedStatus, out var injectedError, out var injectedReason))
        {
            var headers = injectedStatus == 503
                ? new[] { new KeyValuePair<string, string>("Retry-After", "1") }
                : Array.Empty<KeyValuePair<string, string>>();
            await resp.WriteHeadAsync(injectedStatus, "application/json", chunked: false, headers).ConfigureAwait(false);
            await resp.WriteAsync(ErrorJson(injectedError, injectedReason)).ConfigureAwait(false);
            await resp.EndAsync().ConfigureAwait(false);
            return;
        }
        var ddoc = _designDocs.Get(bucket, ddocName) ?? throw new ViewQueryException(404, "not_found", "missing");
        if (!ddoc.Views.TryGetValue(viewName, out var view))
            throw new ViewQueryException(404, "not_found", "missing_named_view");
        var query = ViewQuery.Parse(req.Query, req.Method == "POST" ? req.BodyText : null, view.HasReduce);

        ViewIndexSet indexes;
        List<(JToken Key, JToken Value)>? reduced = null;
        await ddoc.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var generation = _source.Generation(bucket);
            indexes = ddoc.CachedIndexes is { } cached && generation >= 0 && cached.Generation == generation
                ? cached
                : Build(ddoc, generation, ct);
            if (query.Reduce)
                reduced = ViewQueryExecutor.Reduce(ddoc, view, indexes.Views[view.Name].Rows, query, ct);
        }
        finally
        {
            ddoc.Gate.Release();
        }

        var debugInfo = query.Debug ? DebugInfo(indexes) : null;
        var writer = new ViewResponseWriter(resp, _faults, () => Interlocked.Increment(ref _rowsProduced), BlockedWrites, ct);
        try
        {
            if (reduced != null)
            {
                await writer.WriteReduceAsync(debugInfo, ViewQueryExecutor.Page(reduced, query)).ConfigureAwait(false);
            }
            else
            {
                var rows = indexes.Views[view.Name].Rows;
                await writer.WriteMapAsync(rows.Length, debugInfo,
                    ViewQueryExecutor.Page(ViewQueryExecutor.Select(rows, query), query)).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            Responses.Record(bucket, ddocName, viewName, writer.Rows, ViewResponseOutcome.ClientGone);
            throw;
        }
        Responses.Record(bucket, ddocName, viewName, writer.Rows,
            writer.Completed ? ViewResponseOutcome.Completed : ViewResponseOutcome.Cut);
    }

    private ViewIndexSet Build(DesignDocument ddoc, long generation, CancellationToken ct)
    {
        var built = ViewIndexSet.Build(ddoc, _source, generation, ct);
        Interlocked.Increment(ref _indexBuilds);
        ddoc.CachedIndexes = built;
        return built;
    }

    private static JObject DebugInfo(ViewIndexSet indexes)
    {
        var local = new JObject
        {
            ["indexed_documents"] = indexes.Documents,
            ["map_errors"] = indexes.MapErrors,
            ["index_build_ms"] = Math.Round(indexes.BuildTime.TotalMilliseconds, 3),
            ["index_map_ms"] = Math.Round(indexes.MapTime.TotalMilliseconds, 3),
            ["generation"] = indexes.Generation,
            ["string_collation"] = ViewCollation.UsesCultureCollation ? "icu" : "builtin",
        };
        if (indexes.FirstError != null) local["first_map_error"] = indexes.FirstError;
        return new JObject { ["local"] = local };
    }

    /// <summary>Strips the <c>+{uuid}</c> suffix of a bucket path segment.</summary>
    internal static string BucketName(string segment)
    {
        var plus = segment.IndexOf('+');
        return plus < 0 ? segment : segment[..plus];
    }

    private static string[] Segments(string rawPath)
    {
        var parts = rawPath.Trim('/').Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            try
            {
                parts[i] = Uri.UnescapeDataString(parts[i]);
            }
            catch (UriFormatException)
            {
                // keep the raw segment
            }
        }
        return parts;
    }

    private static string ErrorJson(string error, string reason) =>
        "{\"error\":" + JsonConvert.ToString(error) + ",\"reason\":" + JsonConvert.ToString(reason) + "}";

    private static Task WriteErrorAsync(HttpResponse resp, int status, string error, string reason) =>
        resp.WriteJsonAsync(status, ErrorJson(error, reason));
}
