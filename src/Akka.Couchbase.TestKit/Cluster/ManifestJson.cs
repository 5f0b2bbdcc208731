using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>
/// The two renderings of a manifest: the cluster manager's (<c>GET .../scopes</c>, ns_server 7.6
/// <c>jsonify_manifest</c>: every property it keeps, <c>maxTTL</c> -1 meaning never) and the data service's
/// (GET_COLLECTIONS_MANIFEST, kv_engine <c>Manifest::to_json</c>: keys in alphabetical order, <c>maxTTL</c> only when
/// the collection sets one, 0 meaning never, <c>history</c> only when true). Ids and uids are lower-case hex strings.
/// </summary>
internal static class ManifestJson
{
    public static JObject Rest(CollectionManifest manifest) => new()
    {
        ["uid"] = manifest.UidHex,
        ["scopes"] = new JArray(manifest.Scopes.Select(s => new JObject
        {
            ["name"] = s.Name,
            ["uid"] = s.Id.ToString("x"),
            ["collections"] = new JArray(s.Collections.Select(RestCollection)),
        })),
    };

    private static JObject RestCollection(ManifestCollection c)
    {
        var o = new JObject { ["name"] = c.Name, ["uid"] = c.Id.ToString("x"), ["maxTTL"] = c.MaxTtl };
        if (c.ListsHistory) o["history"] = c.History;
        return o;
    }

    public static JObject Kv(CollectionManifest manifest) => new()
    {
        ["scopes"] = new JArray(manifest.Scopes.Select(s => new JObject
        {
            ["collections"] = new JArray(s.Collections.Select(KvCollection)),
            ["name"] = s.Name,
            ["uid"] = s.Id.ToString("x"),
        })),
        ["uid"] = manifest.UidHex,
    };

    private static JObject KvCollection(ManifestCollection c)
    {
        var o = new JObject();
        if (c.History) o["history"] = true;
        // ns_server sends "use the bucket's" as no maxTTL and "never" as 0
        if (c.MaxTtl != 0) o["maxTTL"] = c.MaxTtl < 0 ? 0 : c.MaxTtl;
        o["name"] = c.Name;
        o["uid"] = c.Id.ToString("x");
        return o;
    }
}
