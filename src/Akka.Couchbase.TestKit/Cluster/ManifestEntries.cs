namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>One scope of a bucket's manifest: its name, its id and its collections (newest first, as ns_server keeps them).</summary>
internal sealed class ManifestScope
{
    public ManifestScope(string name, uint id)
    {
        Name = name;
        Id = id;
    }

    public string Name { get; }
    public uint Id { get; }
    public List<ManifestCollection> Collections { get; } = new();

    public ManifestCollection? Find(string name) => Collections.Find(c => c.Name == name);
}

/// <summary>One collection of a manifest.</summary>
/// <param name="Scope">The scope it belongs to.</param>
/// <param name="Name">Its name.</param>
/// <param name="Id">Its id (never reused in the bucket).</param>
/// <param name="MaxTtl">
/// Seconds, as the cluster manager keeps it: 0 = the bucket's setting (none here), -1 = never expire, otherwise the
/// longest expiry a new document gets.
/// </param>
/// <param name="History">Whether change history is kept (always false: only Magma buckets may).</param>
/// <param name="ListsHistory">Whether the REST manifest shows the <c>history</c> property (not for <c>_default</c>).</param>
internal sealed record ManifestCollection(ManifestScope Scope, string Name, uint Id, long MaxTtl, bool History, bool ListsHistory);
