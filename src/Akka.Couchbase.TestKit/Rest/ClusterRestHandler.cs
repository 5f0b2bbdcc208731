using System.Text;
using Akka.Couchbase.TestKit.Cluster;
using Akka.Couchbase.TestKit.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Rest;

/// <summary>
/// The cluster manager REST API of one node (spec §5.1): pools, verbose and terse bucket configs, the
/// streaming config URIs that push each new map followed by four newlines, and scopes and collections
/// (<see cref="CollectionsRestHandler"/>). Basic auth against the
/// cluster's users, or a TLS client certificate naming one; 401 otherwise.
/// </summary>
internal sealed class ClusterRestHandler
{
    private const string Delimiter = "\n\n\n\n";
    private readonly ClusterModel _cluster;
    private readonly InProcessNode _node;
    private readonly Func<string, JArray>? _designDocs;
    private readonly Action<int>? _failover;
    private readonly CollectionsRestHandler _collections;

    public ClusterRestHandler(ClusterModel cluster, InProcessNode node, Func<string, JArray>? designDocs, Action<int>? failover)
    {
        _cluster = cluster;
        _node = node;
        _designDocs = designDocs;
        _failover = failover;
        _collections = new CollectionsRestHandler(cluster);
    }

    public async Task HandleAsync(HttpRequest req, HttpResponse resp, CancellationToken ct)
    {
        if (req.ClientCertificateUser is null
            && (!req.TryGetBasicAuth(out var user, out var password) || !_cluster.Credentials.Check(user, password)))
        {
            await resp.WriteHeadAsync(401, "text/plain", chunked: false,
                new[] { new KeyValuePair<string, string>("WWW-Authenticate", "Basic realm=\"Couchbase Server Admin / REST\"") }).ConfigureAwait(false);
            await resp.EndAsync().ConfigureAwait(false);
            return;
        }
        var segments = req.Path.TrimEnd('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (CollectionsRestHandler.Handles(segments))
        {
            await _collections.HandleAsync(req, resp, segments, ct).ConfigureAwait(false);
            return;
        }
        if (req.Method == "POST" && req.Path.TrimEnd('/') is "/controller/failOver" or "/controller/startGracefulFailover")
        {
            await FailoverAsync(req, resp).ConfigureAwait(false);
            return;
        }
        if (req.Method is not ("GET" or "HEAD"))
        {
            await resp.WriteJsonAsync(405, "{\"error\":\"method_not_allowed\"}").ConfigureAwait(false);
            return;
        }
        var path = req.Path.TrimEnd('/');
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (parts)
        {
            case ["pools"]:
                await Json(resp, Pools()).ConfigureAwait(false);
                return;
            case ["pools", "default"]:
                await Json(resp, Pool()).ConfigureAwait(false);
                return;
            case ["pools", "default", "buckets"]:
                await Json(resp, Locked(() => new JArray(_cluster.Buckets.Values.Select(b => ConfigBuilder.Verbose(_cluster, b, _node))))).ConfigureAwait(false);
                return;
            case ["pools", "default", "nodeServices"]:
                await Json(resp, Locked(() => ConfigBuilder.Global(_cluster, _node, placeholder: false))).ConfigureAwait(false);
                return;
            case ["pools", "default", "buckets", var name]:
                await Bucket(resp, name, b => ConfigBuilder.Verbose(_cluster, b, _node)).ConfigureAwait(false);
                return;
            case ["pools", "default", "b", var name]:
                await Bucket(resp, name, b => ConfigBuilder.Terse(_cluster, b, _node, placeholder: false)).ConfigureAwait(false);
                return;
            case ["pools", "default", "bs", var name]:
                await StreamAsync(resp, name, b => ConfigBuilder.Terse(_cluster, b, _node, placeholder: false), ct).ConfigureAwait(false);
                return;
            case ["pools", "default", "bucketsStreaming", var name]:
                await StreamAsync(resp, name, b => ConfigBuilder.Verbose(_cluster, b, _node), ct).ConfigureAwait(false);
                return;
            case ["pools", "default", "buckets", var name, "ddocs"]:
                await DesignDocs(resp, name).ConfigureAwait(false);
                return;
            default:
                await NotFound(resp).ConfigureAwait(false);
                return;
        }
    }

    /// <summary><c>POST /controller/failOver</c> with form field <c>otpNode=n_1@127.0.0.1</c> (as real clusters take it).</summary>
    private async Task FailoverAsync(HttpRequest req, HttpResponse resp)
    {
        var form = req.BodyText.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')),
                p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "", StringComparer.Ordinal);
        var target = form.TryGetValue("otpNode", out var otp) ? _cluster.Nodes.FirstOrDefault(n => n.OtpNode == otp) : null;
        if (target is null || _failover is null)
        {
            await resp.WriteJsonAsync(400, "[\"Unknown server given.\"]").ConfigureAwait(false);
            return;
        }
        _failover(target.Index);
        await resp.WriteJsonAsync(200, "{}").ConfigureAwait(false);
    }

    private T Locked<T>(Func<T> f)
    {
        lock (_cluster.Sync) return f();
    }

    private static Task Json(HttpResponse resp, JToken body) =>
        resp.WriteJsonAsync(200, body.ToString(Formatting.None));

    private static async Task NotFound(HttpResponse resp)
    {
        await resp.WriteHeadAsync(404, "text/plain", chunked: false).ConfigureAwait(false);
        await resp.WriteAsync("Requested resource not found.\r\n").ConfigureAwait(false);
        await resp.EndAsync().ConfigureAwait(false);
    }

    private JObject Pools() => new()
    {
        ["isAdminCreds"] = true,
        ["isROAdminCreds"] = false,
        ["isEnterprise"] = true,
        ["allowedServices"] = new JArray("kv"),
        ["implementationVersion"] = _cluster.Options.Version,
        ["componentsVersion"] = new JObject { ["ns_server"] = _cluster.Options.Version },
        ["uuid"] = _cluster.Uuid,
        ["pools"] = new JArray(new JObject
        {
            ["name"] = "default",
            ["uri"] = $"/pools/default?uuid={_cluster.Uuid}",
            ["streamingUri"] = $"/poolsStreaming/default?uuid={_cluster.Uuid}",
        }),
    };

    private JObject Pool() => Locked(() => new JObject
    {
        ["name"] = "default",
        ["rebalanceStatus"] = "none",
        ["balanced"] = true,
        ["nodes"] = new JArray(_cluster.Nodes.Select(n => ConfigBuilder.VerboseNode(_cluster, n, _node))),
        ["buckets"] = new JObject { ["uri"] = $"/pools/default/buckets?v=1&uuid={_cluster.Uuid}" },
        ["clusterName"] = "in-process",
        ["rev"] = _cluster.Rev,
    });

    private async Task Bucket(HttpResponse resp, string name, Func<InProcessBucket, JObject> render)
    {
        JObject? body = null;
        lock (_cluster.Sync)
        {
            if (_cluster.Buckets.TryGetValue(name, out var bucket)) body = render(bucket);
        }
        if (body is null) await NotFound(resp).ConfigureAwait(false);
        else await Json(resp, body).ConfigureAwait(false);
    }

    private async Task StreamAsync(HttpResponse resp, string name, Func<InProcessBucket, JObject> render, CancellationToken ct)
    {
        InProcessBucket? bucket;
        lock (_cluster.Sync) _cluster.Buckets.TryGetValue(name, out bucket);
        if (bucket is null)
        {
            await NotFound(resp).ConfigureAwait(false);
            return;
        }
        await resp.WriteHeadAsync(200, "application/json; charset=utf-8", chunked: true).ConfigureAwait(false);
        long sentRev = -1;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                Task changed;
                string? json = null;
                lock (_cluster.Sync)
                {
                    changed = _cluster.ConfigChanged;
                    if (_cluster.Rev != sentRev)
                    {
                        sentRev = _cluster.Rev;
                        json = render(bucket).ToString(Formatting.None);
                    }
                }
                if (json != null)
                {
                    await resp.WriteAsync(Encoding.UTF8.GetBytes(json + Delimiter)).ConfigureAwait(false);
                    await resp.FlushAsync().ConfigureAwait(false);
                }
                await changed.WaitAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
    }

    private async Task DesignDocs(HttpResponse resp, string name)
    {
        bool exists;
        lock (_cluster.Sync) exists = _cluster.Buckets.ContainsKey(name);
        if (!exists)
        {
            await NotFound(resp).ConfigureAwait(false);
            return;
        }
        var rows = _designDocs?.Invoke(name) ?? new JArray();
        await Json(resp, new JObject { ["rows"] = rows }).ConfigureAwait(false);
    }
}
