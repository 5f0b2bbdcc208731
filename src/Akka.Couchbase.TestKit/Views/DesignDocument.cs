namespace Akka.Couchbase.TestKit.Views;

/// <summary>
/// A validated design document of one bucket. Immutable: a PUT replaces the whole object, so indexes cached
/// on it are dropped with it.
/// </summary>
public sealed class DesignDocument
{
    internal DesignDocument(string bucket, string name, string json, string revision,
        IReadOnlyDictionary<string, ViewDefinition> views, JsViewEngine engine)
    {
        Bucket = bucket;
        Name = name;
        Json = json;
        Revision = revision;
        Views = views;
        Engine = engine;
    }

    /// <summary>The bucket it belongs to.</summary>
    public string Bucket { get; }

    /// <summary>The name without the <c>_design/</c> prefix, e.g. <c>beer</c>.</summary>
    public string Name { get; }

    /// <summary>The document id, <c>_design/{name}</c>.</summary>
    public string Id => "_design/" + Name;

    /// <summary>True for development design documents (name prefixed <c>dev_</c>).</summary>
    public bool IsDevelopment => Name.StartsWith("dev_", StringComparison.Ordinal);

    /// <summary>The document body as stored (compact JSON), returned by GET.</summary>
    public string Json { get; }

    /// <summary>The revision, <c>{n}-{hex}</c>, increasing with each PUT of the same name.</summary>
    public string Revision { get; }

    /// <summary>The views by name.</summary>
    public IReadOnlyDictionary<string, ViewDefinition> Views { get; }

    /// <summary>The compiled functions; used by one query or index build at a time (see <see cref="Gate"/>).</summary>
    internal JsViewEngine Engine { get; }

    /// <summary>Serialises use of <see cref="Engine"/> and of the index cache.</summary>
    internal SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The last index built for this document, or null.</summary>
    internal ViewIndexSet? CachedIndexes { get; set; }
}
