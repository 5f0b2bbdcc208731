using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>
/// Builds cluster map JSON (spec §5) from the model. Rules kept (§5.2): serverList, nodes and nodesExt list
/// the same KV nodes in the same order; serverList[i] = nodesExt[i].hostname + ":" + kv; one vBucketMap row
/// per vBucket with numReplicas + 1 entries. Call with the cluster lock held.
/// </summary>
internal static class ConfigBuilder
{
    public const string HostPlaceholder = "$HOST";

    private static string HostFor(InProcessNode node, InProcessNode? self, bool placeholder) =>
        placeholder && self != null && node.Index == self.Index ? HostPlaceholder : node.Host;

    /// <summary>Terse bucket config, as served by CCCP, NOT_MY_VBUCKET, <c>/b/</c> and <c>/bs/</c>.</summary>
    public static JObject Terse(ClusterModel cluster, InProcessBucket bucket, InProcessNode? self, bool placeholder)
    {
        var nodes = cluster.MapNodes();
        var o = new JObject
        {
            ["rev"] = cluster.Rev,
            ["revEpoch"] = cluster.RevEpoch,
            ["name"] = bucket.Name,
            ["uuid"] = bucket.Uuid,
            ["nodeLocator"] = bucket.Type == BucketType.Couchbase ? "vbucket" : "ketama",
            ["uri"] = $"/pools/default/buckets/{bucket.Name}?bucket_uuid={bucket.Uuid}",
            ["streamingUri"] = $"/pools/default/bucketsStreaming/{bucket.Name}?bucket_uuid={bucket.Uuid}",
            ["bucketCapabilitiesVer"] = "",
            ["bucketCapabilities"] = bucket.Type == BucketType.Couchbase
                ? new JArray("collections", "couchapi", "cbhello", "touch", "cccp", "nodesExt")
                : new JArray("cbhello", "nodesExt"),
            ["ddocs"] = new JObject { ["uri"] = $"/pools/default/buckets/{bucket.Name}/ddocs" },
            ["nodes"] = new JArray(nodes.Select(n => LegacyNode(n, bucket, HostFor(n, self, placeholder)))),
            ["nodesExt"] = new JArray(nodes.Select(n => NodeExt(n, self, HostFor(n, self, placeholder)))),
        };
        // 7.x names the manifest uid in every Couchbase bucket's map (ns_server bucket_info_cache); a manifest change
        // makes a new map revision
        if (bucket.Type == BucketType.Couchbase) o["collectionsManifestUid"] = bucket.Manifest.UidHex;
        if (bucket.Type == BucketType.Couchbase)
        {
            var indexOf = new Dictionary<int, int>();
            for (var i = 0; i < nodes.Count; i++) indexOf[nodes[i].Index] = i;
            o["vBucketServerMap"] = new JObject
            {
                ["hashAlgorithm"] = "CRC",
                ["numReplicas"] = bucket.Definition.Replicas,
                ["serverList"] = new JArray(nodes.Select(n => $"{HostFor(n, self, placeholder)}:{n.KvPort}")),
                ["vBucketMap"] = new JArray(bucket.Map.Select(row =>
                    new JArray(row.Select(id => id >= 0 && indexOf.TryGetValue(id, out var i) ? i : -1)))),
            };
            if (bucket.ForwardMap is { } forward)
                o["vBucketServerMap"]!["vBucketMapForward"] = new JArray(forward.Select(row =>
                    new JArray(row.Select(id => id >= 0 && indexOf.TryGetValue(id, out var i) ? i : -1))));
        }
        o["clusterCapabilitiesVer"] = new JArray(1, 0);
        o["clusterCapabilities"] = new JObject { ["n1ql"] = new JArray() };
        return o;
    }

    /// <summary>Bucket-less global config (GET_CLUSTER_CONFIG without a selected bucket).</summary>
    public static JObject Global(ClusterModel cluster, InProcessNode? self, bool placeholder)
    {
        var nodes = cluster.MapNodes();
        return new JObject
        {
            ["rev"] = cluster.Rev,
            ["revEpoch"] = cluster.RevEpoch,
            ["nodesExt"] = new JArray(nodes.Select(n => NodeExt(n, self, HostFor(n, self, placeholder)))),
            ["clusterCapabilitiesVer"] = new JArray(1, 0),
            ["clusterCapabilities"] = new JObject { ["n1ql"] = new JArray() },
        };
    }

    /// <summary>Verbose bucket config (<c>/pools/default/buckets/{bucket}</c>).</summary>
    public static JObject Verbose(ClusterModel cluster, InProcessBucket bucket, InProcessNode? self)
    {
        var o = Terse(cluster, bucket, self, placeholder: false);
        o["bucketType"] = bucket.Type == BucketType.Couchbase ? "membase" : "memcached";
        o["authType"] = "sasl";
        o["localRandomKeyUri"] = $"/pools/default/buckets/{bucket.Name}/localRandomKey";
        o["controllers"] = new JObject
        {
            ["flush"] = $"/pools/default/buckets/{bucket.Name}/controller/doFlush",
            ["compactAll"] = $"/pools/default/buckets/{bucket.Name}/controller/compactBucket",
        };
        o["replicaNumber"] = bucket.Type == BucketType.Couchbase ? bucket.Definition.Replicas : 0;
        o["nodes"] = new JArray(cluster.MapNodes().Select(n => VerboseNode(cluster, n, self)));
        o["quota"] = new JObject { ["ram"] = 104857600L, ["rawRAM"] = 104857600L };
        o["basicStats"] = new JObject { ["itemCount"] = bucket.Count, ["quotaPercentUsed"] = 0, ["opsPerSec"] = 0 };
        o["stats"] = new JObject { ["uri"] = $"/pools/default/buckets/{bucket.Name}/stats" };
        return o;
    }

    /// <summary>The node object of <c>/pools/default</c> and verbose bucket configs.</summary>
    public static JObject VerboseNode(ClusterModel cluster, InProcessNode n, InProcessNode? self)
    {
        var o = new JObject
        {
            ["hostname"] = $"{n.Host}:{n.MgmtPort}",
            ["clusterMembership"] = n.InCluster ? "active" : "inactiveFailed",
            ["status"] = n.IsRunning ? "healthy" : "unhealthy",
            ["otpNode"] = n.OtpNode,
            ["nodeUUID"] = n.NodeUuid,
            ["version"] = cluster.Options.Version,
            ["os"] = "x86_64-unknown-linux-gnu",
            ["services"] = new JArray("kv"),
            ["ports"] = Ports(n),
            ["couchApiBase"] = $"http://{n.Host}:{n.ViewsPort}/",
        };
        if (cluster.Options.Tls) o["couchApiBaseHTTPS"] = $"https://{n.Host}:{n.ViewsTlsPort}/";
        if (self != null && self.Index == n.Index) o["thisNode"] = true;
        return o;
    }

    /// <summary>The <c>ports</c> of a verbose node: 7.6 lists the HTTPS ports there (not the KV TLS one).</summary>
    private static JObject Ports(InProcessNode n)
    {
        var ports = new JObject { ["direct"] = n.KvPort };
        if (n.MgmtTlsPort != 0)
        {
            ports["httpsMgmt"] = n.MgmtTlsPort;
            ports["httpsCAPI"] = n.ViewsTlsPort;
        }
        ports["distTCP"] = 21100;
        ports["distTLS"] = 21150;
        return ports;
    }

    private static JObject LegacyNode(InProcessNode n, InProcessBucket bucket, string host) => new()
    {
        ["couchApiBase"] = $"http://{host}:{n.ViewsPort}/{bucket.Name}%2B{bucket.Uuid}",
        ["hostname"] = $"{host}:{n.MgmtPort}",
        ["ports"] = new JObject { ["direct"] = n.KvPort },
    };

    private static JObject NodeExt(InProcessNode n, InProcessNode? self, string host)
    {
        var o = new JObject
        {
            ["services"] = Services(n),
            ["hostname"] = host,
            ["nodeUUID"] = n.NodeUuid,
        };
        if (self != null && self.Index == n.Index) o["thisNode"] = true;
        return o;
    }

    /// <summary>
    /// The services of a <c>nodesExt</c> entry: the plain ports, and with TLS <c>kvSSL</c>, <c>mgmtSSL</c> and
    /// <c>capiSSL</c> (a client over TLS maps <c>serverList</c> entries to <c>kvSSL</c> through this list).
    /// </summary>
    private static JObject Services(InProcessNode n)
    {
        var services = new JObject { ["mgmt"] = n.MgmtPort };
        if (n.MgmtTlsPort != 0) services["mgmtSSL"] = n.MgmtTlsPort;
        services["kv"] = n.KvPort;
        if (n.KvTlsPort != 0) services["kvSSL"] = n.KvTlsPort;
        services["capi"] = n.ViewsPort;
        if (n.ViewsTlsPort != 0) services["capiSSL"] = n.ViewsTlsPort;
        return services;
    }

    public static string ToJson(JObject o) => o.ToString(Formatting.None);
}
