namespace Akka.Couchbase;

/// <summary>Sub-document operations in this collection: <see cref="Kv.LookupIn"/> and <see cref="Kv.MutateIn"/>.</summary>
public sealed partial class CouchbaseCollection
{
    /// <summary>
    /// Reads parts of a document: <c>await collection.LookupInAsync(key, specs => specs.Get("a.b").Exists("c").Count("tags"))</c>;
    /// then <c>result.ContentAs&lt;T&gt;(0)</c>, <c>result.Exists(1)</c>. See <see cref="Kv.LookupIn"/>.
    /// </summary>
    public Task<LookupInResult> LookupInAsync(string key, Action<LookupInSpecBuilder> specs, LookupInOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var builder = new LookupInSpecBuilder();
        specs(builder);
        return LookupInAsync(key, builder.Build(), options, cancellationToken);
    }

    /// <summary>Reads parts of a document with specs made by <see cref="LookupInSpec"/>. See <see cref="Kv.LookupIn"/>.</summary>
    public Task<LookupInResult> LookupInAsync(string key, IEnumerable<LookupInSpec> specs, LookupInOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(specs);
        options ??= new LookupInOptions();
        return Send<LookupInResult>(new Kv.LookupIn(key, specs.ToArray())
        {
            AccessDeleted = options.AccessDeleted, Timeout = options.Timeout, CorrelationId = options.CorrelationId,
        }, cancellationToken);
    }

    /// <summary>
    /// Changes parts of a document, all or none:
    /// <c>await collection.MutateInAsync(key, specs => specs.Upsert("a.b", 1, createPath: true).ArrayAppend("tags", "x"))</c>.
    /// A spec that fails on its path is the outcome <see cref="KvOutcome.PathFailure"/>. See <see cref="Kv.MutateIn"/>.
    /// </summary>
    public Task<MutateInResult> MutateInAsync(string key, Action<MutateInSpecBuilder> specs, MutateInOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var builder = new MutateInSpecBuilder();
        specs(builder);
        return MutateInAsync(key, builder.Build(), options, cancellationToken);
    }

    /// <summary>Changes parts of a document with specs made by <see cref="MutateInSpec"/>. See <see cref="Kv.MutateIn"/>.</summary>
    public Task<MutateInResult> MutateInAsync(string key, IEnumerable<MutateInSpec> specs, MutateInOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(specs);
        options ??= new MutateInOptions();
        return Send<MutateInResult>(new Kv.MutateIn(key, specs.ToArray())
        {
            Cas = options.Cas, Expiry = options.Expiry, PreserveExpiry = options.PreserveExpiry,
            StoreSemantics = options.StoreSemantics, AccessDeleted = options.AccessDeleted,
            PersistTo = options.PersistTo, ReplicateTo = options.ReplicateTo,
            Timeout = options.Timeout, CorrelationId = options.CorrelationId,
        }, cancellationToken);
    }
}
