using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.Routing;

/// <summary>
/// A parsed bucket configuration ("cluster map", spec §5): its version, its KV nodes and how a key finds its node,
/// through the vBucket map (Couchbase and ephemeral buckets) or the ketama ring (memcached buckets).
/// Immutable and safe to share between threads; a newer map is a new instance.
/// </summary>
internal sealed class ClusterConfig
{
    private const int NoNode = -1;

    private readonly int[] _map;            // VBucketCount rows of (NumReplicas + 1) serverList indices
    private readonly int[]? _forwardMap;    // same shape, only during a rebalance
    private readonly int _stride;
    private readonly KetamaRing? _ring;

    private ClusterConfig(ConfigVersion version, string bucketName, string? bucketUuid, bool isKetama,
        IReadOnlyList<NodeEndpoint> nodes, int numReplicas, int vBucketCount, int[] map, int[]? forwardMap,
        KetamaRing? ring, IReadOnlySet<string> bucketCapabilities, string rawJson)
    {
        Version = version;
        BucketName = bucketName;
        BucketUuid = bucketUuid;
        IsKetama = isKetama;
        Nodes = nodes;
        NumReplicas = numReplicas;
        VBucketCount = vBucketCount;
        _map = map;
        _forwardMap = forwardMap;
        _stride = numReplicas + 1;
        _ring = ring;
        BucketCapabilities = bucketCapabilities;
        RawJson = rawJson;
    }

    /// <summary>The map's version, <c>(revEpoch, rev)</c>.</summary>
    public ConfigVersion Version { get; }

    /// <summary>The bucket name (<c>name</c>).</summary>
    public string BucketName { get; }

    /// <summary>The bucket UUID (<c>uuid</c>), when the map carries one.</summary>
    public string? BucketUuid { get; }

    /// <summary>True for a memcached bucket (<c>nodeLocator</c> = <c>ketama</c>): keys are routed by the ketama ring and requests use vBucket 0.</summary>
    public bool IsKetama { get; }

    /// <summary>
    /// The KV nodes: in <c>vBucketServerMap.serverList</c> order for vBucket maps (so the indices of the map are
    /// indices into this list), in <c>nodes</c> order for ketama maps.
    /// </summary>
    public IReadOnlyList<NodeEndpoint> Nodes { get; }

    /// <summary>Replica copies per vBucket (<c>vBucketServerMap.numReplicas</c>); 0 for ketama maps.</summary>
    public int NumReplicas { get; }

    /// <summary>Number of vBuckets (rows of <c>vBucketMap</c>); 0 for ketama maps.</summary>
    public int VBucketCount { get; }

    /// <summary>True while a rebalance is under way and the map carries <c>vBucketMapForward</c>.</summary>
    public bool HasForwardMap => _forwardMap is not null;

    /// <summary>The <c>bucketCapabilities</c> strings (e.g. <c>couchapi</c>, <c>cccp</c>, <c>xattr</c>); empty when absent.</summary>
    public IReadOnlySet<string> BucketCapabilities { get; }

    /// <summary>
    /// The bucket's collections manifest uid as the map gives it (<c>collectionsManifestUid</c>, hexadecimal), or null
    /// when the map has none (servers before 7.0, memcached buckets): a change means scopes or collections changed.
    /// </summary>
    public string? CollectionsManifestUid { get; private init; }

    /// <summary>The configuration JSON as parsed, with every <c>$HOST</c> already replaced.</summary>
    public string RawJson { get; }

    /// <summary>Index into <see cref="Nodes"/> of the node holding the active copy of <paramref name="vBucket"/>, or -1 if none (or out of range).</summary>
    public int ActiveNodeIndex(int vBucket) => Lookup(_map, vBucket, 0);

    /// <summary>
    /// Index into <see cref="Nodes"/> of replica <paramref name="replica"/> (1-based, up to <see cref="NumReplicas"/>)
    /// of <paramref name="vBucket"/>, or -1 if that replica has no node (or either argument is out of range).
    /// </summary>
    public int ReplicaNodeIndex(int vBucket, int replica) =>
        replica < 1 || replica > NumReplicas ? NoNode : Lookup(_map, vBucket, replica);

    /// <summary>
    /// Index into <see cref="Nodes"/> of the node that will hold the active copy of <paramref name="vBucket"/> after
    /// the running rebalance (<c>vBucketMapForward</c>), or -1 if there is no forward map or no node.
    /// </summary>
    public int ForwardActiveNodeIndex(int vBucket) => _forwardMap is null ? NoNode : Lookup(_forwardMap, vBucket, 0);

    /// <summary>
    /// The index into <see cref="Nodes"/> of the node that serves <paramref name="key"/> (raw UTF-8 key bytes), or
    /// -1 if its vBucket has no active node. <paramref name="vBucket"/> receives the key's vBucket (0 for ketama maps).
    /// </summary>
    public int NodeIndexForKey(ReadOnlySpan<byte> key, out int vBucket)
    {
        if (_ring is not null)
        {
            vBucket = 0;
            return _ring.NodeIndexFor(key);
        }
        vBucket = VBucketHasher.VBucketOf(key, VBucketCount);
        return ActiveNodeIndex(vBucket);
    }

    /// <summary>As <see cref="NodeIndexForKey(ReadOnlySpan{byte}, out int)"/> for a string key (hashed as UTF-8).</summary>
    public int NodeIndexForKey(string key, out int vBucket)
    {
        ArgumentNullException.ThrowIfNull(key);
        var max = Encoding.UTF8.GetMaxByteCount(key.Length);
        Span<byte> bytes = max <= 512 ? stackalloc byte[max] : new byte[max];
        var n = Encoding.UTF8.GetBytes(key, bytes);
        return NodeIndexForKey(bytes.Slice(0, n), out vBucket);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"ClusterConfig(bucket={BucketName}, version={Version}, {(IsKetama ? "ketama" : $"{VBucketCount} vBuckets x {NumReplicas} replicas")}, nodes=[{string.Join(", ", Nodes)}])";

    private int Lookup(int[] map, int vBucket, int column) =>
        (uint)vBucket < (uint)VBucketCount ? map[vBucket * _stride + column] : NoNode;

    /// <summary>
    /// Parses a terse (or verbose) bucket configuration. Every <c>$HOST</c> is first replaced by
    /// <paramref name="hostForDollarHost"/>, the host the configuration was fetched from (spec §5.3); a
    /// <c>nodesExt</c> entry without <c>hostname</c> also means that host.
    /// </summary>
    /// <remarks>
    /// The text comes from the network: whatever it holds, the only exception it can cause is a
    /// <see cref="FormatException"/> (a number of any size included), and a map that parses answers every lookup
    /// with an index into <see cref="Nodes"/> or -1.
    /// </remarks>
    /// <exception cref="FormatException">The text is not JSON, or a required field is missing or malformed; the message names the field.</exception>
    public static ClusterConfig Parse(string json, string hostForDollarHost)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrEmpty(hostForDollarHost);

        var bootstrapHost = HostPort.Unbracket(hostForDollarHost);
        var text = json.Replace("$HOST", HostPort.Bracket(bootstrapHost), StringComparison.Ordinal);
        var root = ParseObject(text);

        var version = new ConfigVersion(
            OptionalLong(root, "revEpoch") ?? 0,
            OptionalLong(root, "rev") ?? throw Missing("rev"));
        var name = OptionalString(root, "name") ?? throw Missing("name");
        var uuid = OptionalString(root, "uuid");
        var capabilities = ParseCapabilities(root);
        var manifestUid = OptionalString(root, "collectionsManifestUid");

        var serverMap = OptionalObject(root, "vBucketServerMap", "vBucketServerMap");
        var locator = OptionalString(root, "nodeLocator");
        bool isKetama;
        if (locator is null)
            isKetama = serverMap is null ? throw Missing("nodeLocator") : false;
        else if (locator.Equals("vbucket", StringComparison.OrdinalIgnoreCase))
            isKetama = false;
        else if (locator.Equals("ketama", StringComparison.OrdinalIgnoreCase))
            isKetama = true;
        else
            throw new FormatException($"cluster map field 'nodeLocator' has the unknown value '{locator}' (expected 'vbucket' or 'ketama')");

        var ext = ParseNodesExt(root, bootstrapHost);
        var legacy = ParseLegacyNodes(root);

        if (isKetama)
        {
            var nodes = KetamaNodes(ext, legacy, name);
            var ring = new KetamaRing(nodes.Select(n => n.KvAddress).ToArray());
            return new ClusterConfig(version, name, uuid, true, nodes, 0, 0, Array.Empty<int>(), null, ring,
                capabilities, text);
        }

        if (serverMap is null) throw Missing("vBucketServerMap");
        var hash = OptionalString(serverMap, "hashAlgorithm", "vBucketServerMap.hashAlgorithm");
        if (hash is not null && !hash.Equals("CRC", StringComparison.OrdinalIgnoreCase))
            throw new FormatException($"cluster map field 'vBucketServerMap.hashAlgorithm' is '{hash}'; only 'CRC' is supported");
        var replicas = OptionalLong(serverMap, "numReplicas", "vBucketServerMap.numReplicas")
                       ?? throw Missing("vBucketServerMap.numReplicas");
        if (replicas is < 0 or > 3)
            throw new FormatException($"cluster map field 'vBucketServerMap.numReplicas' is {replicas}; expected 0 to 3");
        var numReplicas = (int)replicas;

        var serverList = ParseServerList(serverMap);
        var vbNodes = new NodeEndpoint[serverList.Length];
        var extByAddress = FirstByAddress(ext, n => n.Host, n => n.Kv);
        var legacyByAddress = FirstByAddress(legacy, n => n.Host, n => n.Kv);
        for (var i = 0; i < serverList.Length; i++)
            vbNodes[i] = VBucketNode(serverList[i].Host, serverList[i].Port, i, ext, extByAddress, legacy,
                legacyByAddress, name);

        var mapToken = serverMap["vBucketMap"] ?? throw Missing("vBucketServerMap.vBucketMap");
        var map = ParseMap(mapToken, "vBucketServerMap.vBucketMap", numReplicas, serverList.Length, out var vbCount);
        if (vbCount == 0)
            throw new FormatException("cluster map field 'vBucketServerMap.vBucketMap' has no rows");
        int[]? forward = null;
        var forwardToken = serverMap["vBucketMapForward"];
        if (forwardToken is not null && forwardToken.Type != JTokenType.Null)
        {
            forward = ParseMap(forwardToken, "vBucketServerMap.vBucketMapForward", numReplicas, serverList.Length,
                out var forwardCount);
            if (forwardCount != vbCount)
                throw new FormatException(
                    $"cluster map field 'vBucketServerMap.vBucketMapForward' has {forwardCount} rows but 'vBucketMap' has {vbCount}");
        }

        return new ClusterConfig(version, name, uuid, false, vbNodes, numReplicas, vbCount, map, forward, null,
            capabilities, text) { CollectionsManifestUid = manifestUid };
    }

    // ---- node lists -------------------------------------------------------------------------------------------

    private sealed record ExtNode(string Host, int? Kv, int? Mgmt, int? Capi, int? KvTls, int? MgmtTls, int? CapiTls);

    private sealed record LegacyNode(string? Host, int? MgmtPort, int? Kv, string? CouchApiBase);

    private static List<ExtNode> ParseNodesExt(JObject root, string bootstrapHost)
    {
        var result = new List<ExtNode>();
        var array = OptionalArray(root, "nodesExt", "nodesExt");
        if (array is null) return result;
        for (var i = 0; i < array.Count; i++)
        {
            var path = $"nodesExt[{i}]";
            var node = array[i] as JObject ?? throw new FormatException($"cluster map field '{path}' is not an object");
            var host = OptionalString(node, "hostname", path + ".hostname");
            var services = OptionalObject(node, "services", path + ".services") ?? throw Missing(path + ".services");
            result.Add(new ExtNode(
                string.IsNullOrEmpty(host) ? bootstrapHost : HostPort.Unbracket(host),
                OptionalPort(services, "kv", path + ".services.kv"),
                OptionalPort(services, "mgmt", path + ".services.mgmt"),
                OptionalPort(services, "capi", path + ".services.capi"),
                OptionalPort(services, "kvSSL", path + ".services.kvSSL"),
                OptionalPort(services, "mgmtSSL", path + ".services.mgmtSSL"),
                OptionalPort(services, "capiSSL", path + ".services.capiSSL")));
        }
        return result;
    }

    private static List<LegacyNode> ParseLegacyNodes(JObject root)
    {
        var result = new List<LegacyNode>();
        var array = OptionalArray(root, "nodes", "nodes");
        if (array is null) return result;
        for (var i = 0; i < array.Count; i++)
        {
            var path = $"nodes[{i}]";
            var node = array[i] as JObject ?? throw new FormatException($"cluster map field '{path}' is not an object");
            string? host = null;
            int? mgmt = null;
            var hostname = OptionalString(node, "hostname", path + ".hostname");
            if (hostname is not null)
            {
                if (HostPort.TryParse(hostname, out var h, out var p)) { host = h; mgmt = p; }
                else host = HostPort.Unbracket(hostname);
            }
            var ports = OptionalObject(node, "ports", path + ".ports");
            var kv = ports is null ? null : OptionalPort(ports, "direct", path + ".ports.direct");
            result.Add(new LegacyNode(host, mgmt, kv, OptionalString(node, "couchApiBase", path + ".couchApiBase")));
        }
        return result;
    }

    private static (string Host, int Port)[] ParseServerList(JObject serverMap)
    {
        const string field = "vBucketServerMap.serverList";
        var array = OptionalArray(serverMap, "serverList", field) ?? throw Missing(field);
        var result = new (string, int)[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            var entry = array[i].Type == JTokenType.String ? (string)array[i]! : null;
            if (entry is null || !HostPort.TryParse(entry, out var host, out var port))
                throw new FormatException($"cluster map field '{field}[{i}]' is not a \"host:port\" string: {array[i].ToString(Formatting.None)}");
            result[i] = (host, port);
        }
        return result;
    }

    private static NodeEndpoint VBucketNode(string host, int kvPort, int index, List<ExtNode> ext,
        Dictionary<string, ExtNode> extByAddress, List<LegacyNode> legacy,
        Dictionary<string, LegacyNode> legacyByAddress, string bucket)
    {
        var address = Address(host, kvPort);
        var e = extByAddress.GetValueOrDefault(address)
                ?? (index < ext.Count && (ext[index].Kv is null || ext[index].Kv == kvPort) ? ext[index] : null);
        var l = legacyByAddress.GetValueOrDefault(address)
                ?? (index < legacy.Count && (legacy[index].Kv is null || legacy[index].Kv == kvPort) ? legacy[index] : null);
        return Endpoint(host, kvPort, e, l, bucket);
    }

    /// <summary>
    /// The first node of each KV address (host compared without brackets, ignoring case): a lookup per server,
    /// where a scan of the list per server made a map of n nodes cost n² (seconds for a map of a megabyte).
    /// </summary>
    private static Dictionary<string, T> FirstByAddress<T>(List<T> nodes, Func<T, string?> host, Func<T, int?> kv)
        where T : class
    {
        var index = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in nodes)
            if (host(node) is { } h && kv(node) is { } port) index.TryAdd(Address(h, port), node);
        return index;
    }

    private static string Address(string host, int kvPort) =>
        kvPort.ToString(CultureInfo.InvariantCulture) + " " + HostPort.Unbracket(host);

    private static NodeEndpoint[] KetamaNodes(List<ExtNode> ext, List<LegacyNode> legacy, string bucket)
    {
        var nodes = new List<NodeEndpoint>();
        if (legacy.Count > 0)
        {
            // "nodes" lists exactly the KV nodes; nodesExt[i] describes the same node.
            for (var i = 0; i < legacy.Count; i++)
            {
                var l = legacy[i];
                var e = i < ext.Count && ext[i].Kv is not null ? ext[i] : null;
                var host = e?.Host ?? l.Host ?? throw Missing($"nodes[{i}].hostname");
                var kv = e?.Kv ?? l.Kv ?? throw Missing($"nodes[{i}].ports.direct");
                nodes.Add(Endpoint(host, kv, e, l, bucket));
            }
        }
        else
        {
            foreach (var e in ext)
                if (e.Kv is { } kv) nodes.Add(Endpoint(e.Host, kv, e, null, bucket));
        }
        if (nodes.Count == 0) throw Missing("nodes");
        return nodes.ToArray();
    }

    private static NodeEndpoint Endpoint(string host, int kvPort, ExtNode? e, LegacyNode? l, string bucket)
    {
        var mgmt = e?.Mgmt ?? l?.MgmtPort ?? 8091;
        var couchApiBase = string.IsNullOrEmpty(l?.CouchApiBase) ? null : l!.CouchApiBase;
        int? viewsPort = e?.Capi;
        if (viewsPort is null && couchApiBase is not null && Uri.TryCreate(couchApiBase, UriKind.Absolute, out var uri))
            viewsPort = uri.Port;
        var viewsBase = couchApiBase
                        ?? (viewsPort is { } capi
                            ? $"http://{HostPort.Format(e?.Host ?? host, capi)}/{Uri.EscapeDataString(bucket)}"
                            : null);
        return new NodeEndpoint(host, kvPort, mgmt, viewsPort, viewsBase)
        {
            KvTlsPort = e?.KvTls,
            MgmtTlsPort = e?.MgmtTls,
            ViewsTlsPort = e?.CapiTls,
        };
    }

    // ---- vBucket maps -----------------------------------------------------------------------------------------

    private static int[] ParseMap(JToken token, string field, int numReplicas, int serverCount, out int rows)
    {
        if (token is not JArray array) throw new FormatException($"cluster map field '{field}' is not an array");
        var stride = numReplicas + 1;
        rows = array.Count;
        var map = new int[rows * stride];
        for (var vb = 0; vb < rows; vb++)
        {
            if (array[vb] is not JArray row || row.Count == 0)
                throw new FormatException($"cluster map field '{field}[{vb}]' is not a non-empty array");
            for (var c = 0; c < stride; c++)
            {
                if (c >= row.Count) { map[vb * stride + c] = NoNode; continue; }
                var cell = row[c];
                if (cell.Type != JTokenType.Integer)
                    throw new FormatException($"cluster map field '{field}[{vb}][{c}]' is not an integer");
                // An integer beyond 64 bits is held as a BigInteger: outside serverList as well.
                if (cell is not JValue { Value: long index } || index < -1 || index >= serverCount)
                    throw new FormatException(
                        $"cluster map field '{field}[{vb}][{c}]' is {cell.ToString(Formatting.None)}, outside serverList (0..{serverCount - 1}, or -1)");
                map[vb * stride + c] = (int)index;
            }
        }
        return map;
    }

    // ---- JSON helpers -----------------------------------------------------------------------------------------

    private static JObject ParseObject(string text)
    {
        try
        {
            using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None };
            var token = JToken.ReadFrom(reader);
            while (reader.Read())
                if (reader.TokenType != JsonToken.Comment)
                    throw new FormatException("cluster map has content after the JSON object");
            return token as JObject ?? throw new FormatException($"cluster map is a JSON {token.Type}, not an object");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"cluster map is not valid JSON: {ex.Message}", ex);
        }
    }

    private static IReadOnlySet<string> ParseCapabilities(JObject root)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        var array = OptionalArray(root, "bucketCapabilities", "bucketCapabilities");
        if (array is not null)
            foreach (var item in array)
                if (item.Type == JTokenType.String) set.Add((string)item!);
        return set;
    }

    private static FormatException Missing(string field) =>
        new($"cluster map is missing the required field '{field}'");

    private static JToken? Present(JObject obj, string name)
    {
        var token = obj[name];
        return token is null || token.Type == JTokenType.Null ? null : token;
    }

    private static long? OptionalLong(JObject obj, string name, string? path = null)
    {
        var token = Present(obj, name);
        if (token is null) return null;
        // An integer beyond 64 bits is held as a BigInteger, not a long.
        if (token is JValue { Type: JTokenType.Integer, Value: long value }) return value;
        throw new FormatException(token.Type == JTokenType.Integer
            ? $"cluster map field '{path ?? name}' is {token.ToString(Formatting.None)}, beyond a 64-bit integer"
            : $"cluster map field '{path ?? name}' is not an integer: {token.ToString(Formatting.None)}");
    }

    private static int? OptionalPort(JObject obj, string name, string path)
    {
        var value = OptionalLong(obj, name, path);
        if (value is null) return null;
        if (value is < 1 or > 65535) throw new FormatException($"cluster map field '{path}' is {value}, not a port number");
        return (int)value;
    }

    private static string? OptionalString(JObject obj, string name, string? path = null)
    {
        var token = Present(obj, name);
        if (token is null) return null;
        if (token.Type == JTokenType.String) return (string)token!;
        throw new FormatException($"cluster map field '{path ?? name}' is not a string: {token.ToString(Formatting.None)}");
    }

    private static JObject? OptionalObject(JObject obj, string name, string path)
    {
        var token = Present(obj, name);
        if (token is null) return null;
        return token as JObject ?? throw new FormatException($"cluster map field '{path}' is not an object");
    }

    private static JArray? OptionalArray(JObject obj, string name, string path)
    {
        var token = Present(obj, name);
        if (token is null) return null;
        return token as JArray ?? throw new FormatException($"cluster map field '{path}' is not an array");
    }
}
