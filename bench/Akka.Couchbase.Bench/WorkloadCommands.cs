namespace Akka.Couchbase.Bench;

/// <summary>
/// The commands of the workload, each naming the run's collection (<c>--collection</c>; none named means the
/// default collection): a read is a <see cref="Kv.Get"/>, or with <c>--subdoc</c> a <see cref="Kv.LookupIn"/> with one
/// Get spec; a write is a <see cref="Kv.Upsert"/>, or a <see cref="Kv.MutateIn"/> with one Upsert spec. The specs are
/// made once and shared by every command (they are immutable), so a command allocates only itself.
/// </summary>
internal sealed class WorkloadCommands
{
    private readonly string? _scope;
    private readonly string? _collection;
    private readonly byte[] _value;

    public WorkloadCommands(BenchOptions options, byte[] value, SubDocDocument? document)
    {
        _scope = options.Collection?.Scope;
        _collection = options.Collection?.Name;
        _value = value;
        if (document is null) return;
        LookupSpecs = new[] { LookupInSpec.Get(SubDocDocument.Path) };
        MutateSpecs = new[] { MutateInSpec.Upsert(SubDocDocument.Path, document.FieldJson) };
    }

    /// <summary>With <c>--subdoc</c>: the one Get spec of every read; otherwise null.</summary>
    public IReadOnlyList<LookupInSpec>? LookupSpecs { get; }

    /// <summary>With <c>--subdoc</c>: the one Upsert spec of every write; otherwise null.</summary>
    public IReadOnlyList<MutateInSpec>? MutateSpecs { get; }

    /// <summary>Writes create the document when it is missing, as a plain upsert does.</summary>
    public static StoreSemantics WriteSemantics => StoreSemantics.Upsert;

    /// <summary>A read of <paramref name="key"/>; its reply is a <see cref="GetResult"/> or a <see cref="LookupInResult"/>.</summary>
    public Kv.KeyCommand Read(string key, object? correlationId) => LookupSpecs is { } specs
        ? new Kv.LookupIn(key, specs) { Scope = _scope, Collection = _collection, CorrelationId = correlationId }
        : new Kv.Get(key) { Scope = _scope, Collection = _collection, CorrelationId = correlationId };

    /// <summary>A write of <paramref name="key"/>; its reply is a <see cref="MutationResult"/> or a <see cref="MutateInResult"/>.</summary>
    public Kv.KeyCommand Write(string key, object? correlationId) => MutateSpecs is { } specs
        ? new Kv.MutateIn(key, specs)
        {
            StoreSemantics = WriteSemantics, Scope = _scope, Collection = _collection, CorrelationId = correlationId,
        }
        : new Kv.Upsert(key, _value) { Scope = _scope, Collection = _collection, CorrelationId = correlationId };

    /// <summary>A multi-get of <paramref name="keys"/> (not with <c>--subdoc</c>); its reply is a <see cref="MultiResult{T}"/> of <see cref="GetResult"/>.</summary>
    public Kv.GetMulti ReadMany(IReadOnlyList<string> keys, object? correlationId) =>
        new(keys) { Scope = _scope, Collection = _collection, CorrelationId = correlationId };
}
