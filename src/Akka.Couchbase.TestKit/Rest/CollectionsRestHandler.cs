using System.Globalization;
using Akka.Couchbase.TestKit.Cluster;
using Akka.Couchbase.TestKit.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Rest;

/// <summary>
/// The cluster manager's scopes and collections API, answering as ns_server 7.6 does (<c>menelaus_web_collections</c>):
/// <c>GET /pools/default/buckets/{b}/scopes</c> (the manifest), <c>POST .../scopes</c> (<c>name</c>),
/// <c>POST .../scopes/{s}/collections</c> (<c>name</c>, optional <c>maxTTL</c> and <c>history</c>),
/// <c>DELETE .../scopes/{s}</c>, <c>DELETE .../scopes/{s}/collections/{c}</c>, and
/// <c>POST .../scopes/@ensureManifest/{uid}</c>. A change answers 200 <c>{"uid":"&lt;hex&gt;"}</c>; a bad form
/// 400 <c>{"errors":{"name":"..."}}</c>; a refused change <c>{"errors":{"_":"..."}}</c> with 400, 404 or 429.
/// </summary>
internal sealed class CollectionsRestHandler
{
    private readonly ClusterModel _cluster;

    public CollectionsRestHandler(ClusterModel cluster) => _cluster = cluster;

    /// <summary>Whether <paramref name="parts"/> (the path's segments) are this API's.</summary>
    public static bool Handles(string[] parts) => parts is ["pools", "default", "buckets", _, "scopes", ..];

    public async Task HandleAsync(HttpRequest req, HttpResponse resp, string[] parts, CancellationToken ct)
    {
        InProcessBucket? bucket;
        lock (_cluster.Sync) _cluster.Buckets.TryGetValue(parts[3], out bucket);
        if (bucket is null)
        {
            await Text(resp, 404, "Requested resource not found.\r\n").ConfigureAwait(false);
            return;
        }
        switch (req.Method, parts[4..])
        {
            case ("GET" or "HEAD", ["scopes"]):
                string json;
                lock (_cluster.Sync) json = ManifestJson.Rest(bucket.Manifest).ToString(Formatting.None);
                await resp.WriteJsonAsync(200, json).ConfigureAwait(false);
                return;
            case ("POST", ["scopes"]):
                await CreateScopeAsync(req, resp, bucket).ConfigureAwait(false);
                return;
            case ("POST", ["scopes", "@ensureManifest", var uid]):
                await EnsureManifestAsync(req, resp, bucket, uid, ct).ConfigureAwait(false);
                return;
            case ("POST", ["scopes", var scope, "collections"]):
                await CreateCollectionAsync(req, resp, bucket, scope).ConfigureAwait(false);
                return;
            case ("DELETE", ["scopes", var scope]):
                await ChangeAsync(resp, bucket, c => c.DropScope(scope)).ConfigureAwait(false);
                return;
            case ("DELETE", ["scopes", var scope, "collections", var collection]):
                await ChangeAsync(resp, bucket, c => c.DropCollection(scope, collection)).ConfigureAwait(false);
                return;
            default:
                await Text(resp, 404, "Requested resource not found.\r\n").ConfigureAwait(false);
                return;
        }
    }

    private async Task CreateScopeAsync(HttpRequest req, HttpResponse resp, InProcessBucket bucket)
    {
        if (!await AvailableAsync(resp, bucket).ConfigureAwait(false)) return;
        var form = FormFields.Parse(req.BodyText);
        var errors = new JObject();
        var name = ValidateName(form, errors);
        Unsupported(form, errors, "name");
        if (errors.Count > 0)
        {
            await Errors(resp, 400, errors).ConfigureAwait(false);
            return;
        }
        await ChangeAsync(resp, bucket, c => c.CreateScope(name!)).ConfigureAwait(false);
    }

    private async Task CreateCollectionAsync(HttpRequest req, HttpResponse resp, InProcessBucket bucket, string scope)
    {
        if (!await AvailableAsync(resp, bucket).ConfigureAwait(false)) return;
        var form = FormFields.Parse(req.BodyText);
        var errors = new JObject();
        // the order of ns_server's collection validators: history, maxTTL, duplicates, then the name's
        var history = Value(form, "history");
        if (history is not null and not ("true" or "false"))
            errors["history"] = "The value must be one of the following: [true,false]";
        else if (history == "true")
        {
            await Text(resp, 400, "Not allowed on this type of bucket").ConfigureAwait(false);
            return;
        }
        long maxTtl = 0;
        if (Value(form, "maxTTL") is { } ttl)
        {
            if (!long.TryParse(ttl, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out maxTtl))
                errors["maxTTL"] = "The value must be an integer";
            else if (maxTtl < -1 || maxTtl > uint.MaxValue)
                errors["maxTTL"] = $"The value must be in range from -1 to {uint.MaxValue}";
        }
        if (form.GroupBy(f => f.Key).FirstOrDefault(g => g.Count() > 1) is { } repeated && !errors.ContainsKey(repeated.Key))
            errors[repeated.Key] = "Key specified more than once";
        var name = ValidateName(form, errors);
        Unsupported(form, errors, "name", "maxTTL", "history");
        if (errors.Count > 0)
        {
            await Errors(resp, 400, errors).ConfigureAwait(false);
            return;
        }
        await ChangeAsync(resp, bucket, c => c.CreateCollection(scope, name!, maxTtl)).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>@ensureManifest/{uid}</c>: 200 once every node has a manifest at least that new (at once here: the nodes share
    /// one), 504 <c>timeout</c> after <c>timeout</c> ms (default 30000) otherwise.
    /// </summary>
    private async Task EnsureManifestAsync(HttpRequest req, HttpResponse resp, InProcessBucket bucket, string uidText, CancellationToken ct)
    {
        if (!await AvailableAsync(resp, bucket).ConfigureAwait(false)) return;
        if (!ulong.TryParse(uidText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var uid))
        {
            await Text(resp, 400, "Invalid UID").ConfigureAwait(false);
            return;
        }
        var timeoutMs = int.TryParse(Value(FormFields.Parse(req.BodyText), "timeout"), NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : 30000;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeoutMs);
        try
        {
            while (true)
            {
                Task changed;
                lock (_cluster.Sync)
                {
                    if (bucket.Manifest.Uid >= uid) break;
                    changed = _cluster.ConfigChanged;
                }
                await changed.WaitAsync(cts.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await Text(resp, 504, "timeout").ConfigureAwait(false);
            return;
        }
        await resp.WriteHeadAsync(200, "text/plain", chunked: false).ConfigureAwait(false);
        await resp.EndAsync().ConfigureAwait(false);
    }

    /// <summary>Makes a change; answers its new manifest uid, or the refusal as ns_server words it.</summary>
    private async Task ChangeAsync(HttpResponse resp, InProcessBucket bucket, Action<BucketCollections> change)
    {
        if (!await AvailableAsync(resp, bucket).ConfigureAwait(false)) return;
        string uid;
        try
        {
            lock (_cluster.Sync)
            {
                change(bucket.Collections);
                uid = bucket.Manifest.UidHex;
            }
        }
        catch (CollectionManifestException e)
        {
            await Errors(resp, e.HttpStatus, new JObject { ["_"] = e.Message }).ConfigureAwait(false);
            return;
        }
        await resp.WriteJsonAsync(200, new JObject { ["uid"] = uid }.ToString(Formatting.None)).ConfigureAwait(false);
    }

    /// <summary>Memcached buckets have no collections to change (<c>assert_api_available</c>).</summary>
    private static async Task<bool> AvailableAsync(HttpResponse resp, InProcessBucket bucket)
    {
        if (bucket.Type == BucketType.Couchbase) return true;
        await Text(resp, 400, "Not allowed on this type of bucket").ConfigureAwait(false);
        return false;
    }

    /// <summary>The <c>name</c> field, or null after recording why it is not acceptable.</summary>
    private static string? ValidateName(List<KeyValuePair<string, string>> form, JObject errors)
    {
        var name = Value(form, "name");
        if (name is null)
        {
            errors["name"] = "The value must be supplied";
            return null;
        }
        if (CollectionNames.RestProblem(name) is { } problem)
        {
            errors["name"] = problem;
            return null;
        }
        return name;
    }

    private static void Unsupported(List<KeyValuePair<string, string>> form, JObject errors, params string[] supported)
    {
        foreach (var (key, _) in form)
            if (Array.IndexOf(supported, key) < 0 && !errors.ContainsKey(key)) errors[key] = "Unsupported key";
    }

    private static string? Value(List<KeyValuePair<string, string>> form, string name) =>
        form.FirstOrDefault(f => f.Key == name) is { Key: not null } f ? f.Value : null;

    private static Task Errors(HttpResponse resp, int status, JObject errors) =>
        resp.WriteJsonAsync(status, new JObject { ["errors"] = errors }.ToString(Formatting.None));

    private static async Task Text(HttpResponse resp, int status, string text)
    {
        await resp.WriteHeadAsync(status, "text/plain", chunked: false).ConfigureAwait(false);
        await resp.WriteAsync(text).ConfigureAwait(false);
        await resp.EndAsync().ConfigureAwait(false);
    }
}
