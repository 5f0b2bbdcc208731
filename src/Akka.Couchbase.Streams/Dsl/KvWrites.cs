namespace Akka.Couchbase.Streams.Dsl;

/// <summary>
/// The write commands the flows and sinks make from an element and their settings: each carries the settings'
/// expiry (where the command has one), durability, timeout and collection.
/// </summary>
internal static class KvWrites
{
    public static Func<CouchbaseWriteSettings, KvCommandFactory<TIn>> Upsert<TIn>(Func<TIn, string> key, Func<TIn, object?> value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return s => (e, id) => new Kv.Upsert(key(e), value(e))
        {
            CorrelationId = id, Timeout = s.Timeout, Scope = s.Scope, Collection = s.Collection, Expiry = s.Expiry,
            PersistTo = s.PersistTo, ReplicateTo = s.ReplicateTo,
        };
    }

    public static Func<CouchbaseWriteSettings, KvCommandFactory<TIn>> Insert<TIn>(Func<TIn, string> key, Func<TIn, object?> value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return s => (e, id) => new Kv.Insert(key(e), value(e))
        {
            CorrelationId = id, Timeout = s.Timeout, Scope = s.Scope, Collection = s.Collection, Expiry = s.Expiry,
            PersistTo = s.PersistTo, ReplicateTo = s.ReplicateTo,
        };
    }

    public static Func<CouchbaseWriteSettings, KvCommandFactory<TIn>> Replace<TIn>(Func<TIn, string> key, Func<TIn, object?> value,
        Func<TIn, ulong>? cas)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return s => (e, id) => new Kv.Replace(key(e), value(e))
        {
            CorrelationId = id, Timeout = s.Timeout, Scope = s.Scope, Collection = s.Collection, Expiry = s.Expiry,
            PersistTo = s.PersistTo, ReplicateTo = s.ReplicateTo, Cas = cas?.Invoke(e) ?? 0,
        };
    }

    public static Func<CouchbaseWriteSettings, KvCommandFactory<TIn>> Remove<TIn>(Func<TIn, string> key, Func<TIn, ulong>? cas)
    {
        ArgumentNullException.ThrowIfNull(key);
        return s => (e, id) => new Kv.Remove(key(e))
        {
            CorrelationId = id, Timeout = s.Timeout, Scope = s.Scope, Collection = s.Collection,
            PersistTo = s.PersistTo, ReplicateTo = s.ReplicateTo, Cas = cas?.Invoke(e) ?? 0,
        };
    }

    public static Func<CouchbaseWriteSettings, KvCommandFactory<TIn>> MutateIn<TIn>(Func<TIn, string> key,
        Func<TIn, IReadOnlyList<MutateInSpec>> specs, StoreSemantics semantics)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(specs);
        return s => (e, id) => new Kv.MutateIn(key(e), specs(e))
        {
            CorrelationId = id, Timeout = s.Timeout, Scope = s.Scope, Collection = s.Collection, Expiry = s.Expiry,
            PersistTo = s.PersistTo, ReplicateTo = s.ReplicateTo, StoreSemantics = semantics,
        };
    }
}
