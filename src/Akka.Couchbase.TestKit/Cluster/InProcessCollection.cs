using System.Text;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>
/// One collection of a bucket, by name, for tests: what is stored in it and direct writes (no network). Each call
/// finds the collection by name at that moment, so a handle follows a collection dropped and created again; a call
/// while it does not exist throws <see cref="CollectionManifestException"/>. The same key in two collections is two
/// documents.
/// </summary>
public sealed class InProcessCollection
{
    private readonly ClusterModel _cluster;
    private readonly InProcessBucket _bucket;

    internal InProcessCollection(ClusterModel cluster, InProcessBucket bucket, string scope, string name)
    {
        _cluster = cluster;
        _bucket = bucket;
        Scope = scope;
        Name = name;
    }

    /// <summary>The scope's name.</summary>
    public string Scope { get; }

    /// <summary>The collection's name.</summary>
    public string Name { get; }

    /// <summary>Whether the collection exists now.</summary>
    public bool Exists
    {
        get { lock (_cluster.Sync) return _bucket.Manifest.Find(Scope, Name) != null; }
    }

    /// <summary>Its id now (the key prefix clients write, as LEB128).</summary>
    public uint Id
    {
        get { lock (_cluster.Sync) return Resolve(); }
    }

    /// <summary>The stored document for <paramref name="key"/>, or null.</summary>
    public StoredDocumentInfo? Get(string key)
    {
        lock (_cluster.Sync) return _bucket.Read(Resolve(), key);
    }

    /// <summary>Stores a document as an upsert would; returns its new CAS.</summary>
    public ulong Upsert(string key, ReadOnlySpan<byte> value, uint flags = 0x02000000, DataType dataType = DataType.Json)
    {
        lock (_cluster.Sync) return _bucket.Write(Resolve(), key, value, flags, dataType, nodeForMemcached: 0);
    }

    /// <summary>Stores a JSON document (flags and datatype JSON) as an upsert would; returns its new CAS.</summary>
    public ulong Upsert(string key, string json) => Upsert(key, Encoding.UTF8.GetBytes(json));

    /// <summary>Deletes the document; false when there was none.</summary>
    public bool Remove(string key)
    {
        lock (_cluster.Sync) return _bucket.Delete(Resolve(), key);
    }

    /// <summary>Number of live documents in the collection.</summary>
    public int Count
    {
        get { lock (_cluster.Sync) return _bucket.CountIn(Resolve()); }
    }

    private uint Resolve() => _bucket.Manifest.Find(Scope, Name)?.Id
        ?? throw (_bucket.Manifest.FindScope(Scope) is null
            ? new CollectionManifestException(404, $"Scope with name \"{Scope}\" is not found")
            : new CollectionManifestException(404, $"Collection with name \"{Name}\" in scope \"{Scope}\" is not found"));
}
