namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>
/// The scopes and collections of one bucket, changed as Couchbase Server 7.6's cluster manager changes them
/// (ns_server <c>collections.erl</c>): a new bucket has the <c>_default</c> scope (id 0) with the <c>_default</c>
/// collection (id 0) and the <c>_system</c> scope (id 8) with <c>_mobile</c> (8) and <c>_query</c> (9), manifest uid
/// 1; every change adds one to the uid; new scopes and collections take the next id of their counter (scopes from 9,
/// collections from 10), and an id is never given twice. Not thread-safe: used under the cluster lock.
/// </summary>
internal sealed class CollectionManifest
{
    /// <summary>ns_server's default limit of user scopes, and of user collections, per bucket.</summary>
    public const int MaxPerBucket = 1200;

    private readonly Dictionary<uint, ManifestCollection> _byId = new();
    private uint _nextScopeId;
    private uint _nextCollectionId;

    private CollectionManifest(bool withSystemScope)
    {
        var defaultScope = new ManifestScope(CollectionNames.DefaultName, 0);
        Add(defaultScope, new ManifestCollection(defaultScope, CollectionNames.DefaultName, 0, 0, false, ListsHistory: false));
        Scopes.Add(defaultScope);
        if (!withSystemScope) return;
        var system = new ManifestScope(CollectionNames.SystemScope, 8);
        Add(system, new ManifestCollection(system, "_mobile", 8, -1, false, ListsHistory: true));
        Add(system, new ManifestCollection(system, "_query", 9, -1, false, ListsHistory: true));
        Scopes.Add(system);
        Uid = 1;
        _nextScopeId = 9;
        _nextCollectionId = 10;
    }

    /// <summary>A Couchbase bucket's manifest as 7.6 creates it.</summary>
    public static CollectionManifest ForCouchbaseBucket() => new(withSystemScope: true);

    /// <summary>A memcached bucket's: the default collection only, and no way to change it.</summary>
    public static CollectionManifest ForMemcachedBucket() => new(withSystemScope: false);

    /// <summary>The manifest uid (hex in every JSON rendering).</summary>
    public ulong Uid { get; private set; }

    /// <summary>The scopes, newest first (then <c>_default</c> and <c>_system</c>), as the manifest lists them.</summary>
    public List<ManifestScope> Scopes { get; } = new();

    /// <summary>The manifest uid as JSON carries it: lower-case hex, no prefix.</summary>
    public string UidHex => Uid.ToString("x");

    /// <summary>A fault: collections whose next N document commands answer UNKNOWN_COLLECTION although they exist.</summary>
    public Dictionary<uint, int> ForcedUnknown { get; } = new();

    /// <summary>Whether a forced UNKNOWN_COLLECTION is due for <paramref name="collectionId"/> (and counts it).</summary>
    public bool TakeForcedUnknown(uint collectionId)
    {
        if (!ForcedUnknown.TryGetValue(collectionId, out var left)) return false;
        if (left <= 1) ForcedUnknown.Remove(collectionId);
        else ForcedUnknown[collectionId] = left - 1;
        return true;
    }

    public ManifestCollection? Find(uint collectionId) => _byId.GetValueOrDefault(collectionId);

    public ManifestScope? FindScope(string name) => Scopes.Find(s => s.Name == name);

    public ManifestCollection? Find(string scope, string collection) => FindScope(scope)?.Find(collection);

    /// <summary>Every collection, scope by scope.</summary>
    public IEnumerable<ManifestCollection> Collections => Scopes.SelectMany(s => s.Collections);

    public ManifestScope CreateScope(string name)
    {
        Validate(name);
        if (FindScope(name) != null) throw Refused(400, $"Scope with name \"{name}\" already exists");
        if (UserScopes() + 1 > MaxPerBucket)
            throw Refused(429, $"Maximum number of scopes ({MaxPerBucket}) for this bucket has been reached");
        var scope = new ManifestScope(name, _nextScopeId++);
        Scopes.Insert(0, scope);
        Uid++;
        return scope;
    }

    /// <param name="scopeName">The scope to create it in.</param>
    /// <param name="name">The collection's name.</param>
    /// <param name="maxTtl">-1 (never expire) up to <see cref="uint.MaxValue"/>; 0 = the bucket's setting.</param>
    public ManifestCollection CreateCollection(string scopeName, string name, long maxTtl)
    {
        Validate(name);
        if (maxTtl < -1 || maxTtl > uint.MaxValue) throw Refused(400, $"The value must be in range from -1 to {uint.MaxValue}");
        if (scopeName == CollectionNames.SystemScope) throw Refused(400, "cannot create collection in '_system' scope");
        var scope = FindScope(scopeName) ?? throw ScopeNotFound(scopeName);
        if (scope.Find(name) != null) throw Refused(400, $"Collection with name \"{name}\" in scope \"{scopeName}\" already exists");
        if (UserCollections() + 1 > MaxPerBucket)
            throw Refused(429, $"Maximum number of collections ({MaxPerBucket}) for this bucket has been reached");
        var collection = new ManifestCollection(scope, name, _nextCollectionId++, maxTtl, false, ListsHistory: true);
        Add(scope, collection);
        Uid++;
        return collection;
    }

    /// <summary>Drops a scope and all its collections; returns the ids of the collections dropped.</summary>
    public IReadOnlyList<uint> DropScope(string name)
    {
        if (name == CollectionNames.DefaultName) throw Refused(400, "Deleting _default scope is not allowed");
        if (name == CollectionNames.SystemScope) throw Refused(400, "Deleting _system scope is not allowed");
        var scope = FindScope(name) ?? throw ScopeNotFound(name);
        var ids = scope.Collections.Select(c => c.Id).ToList();
        foreach (var id in ids) _byId.Remove(id);
        Scopes.Remove(scope);
        Uid++;
        return ids;
    }

    /// <summary>Drops a collection (<c>_default</c> too, as 7.6 allows); returns its id.</summary>
    public uint DropCollection(string scopeName, string name)
    {
        if (scopeName == CollectionNames.SystemScope && name.StartsWith('_'))
            throw Refused(400, $"Cannot drop system collection \"{name}\" for scope \"{scopeName}\"");
        var scope = FindScope(scopeName) ?? throw ScopeNotFound(scopeName);
        var collection = scope.Find(name) ?? throw Refused(404, $"Collection with name \"{name}\" in scope \"{scopeName}\" is not found");
        scope.Collections.Remove(collection);
        _byId.Remove(collection.Id);
        Uid++;
        return collection.Id;
    }

    /// <summary>Adds a collection in front of its scope's list (ns_server lists the newest first).</summary>
    private void Add(ManifestScope scope, ManifestCollection collection)
    {
        scope.Collections.Insert(0, collection);
        _byId[collection.Id] = collection;
    }

    private int UserScopes() => Scopes.Count(s => s.Name is not (CollectionNames.DefaultName or CollectionNames.SystemScope));

    private int UserCollections() => Collections.Count(c => c.Scope.Name != CollectionNames.SystemScope && c.Id != 0);

    private static void Validate(string name)
    {
        if (CollectionNames.RestProblem(name) is { } problem) throw Refused(400, problem);
    }

    private static CollectionManifestException ScopeNotFound(string name) => Refused(404, $"Scope with name \"{name}\" is not found");

    private static CollectionManifestException Refused(int status, string message) => new(status, message);
}
