using Akka.Couchbase.Chaos.Ledger;

namespace Akka.Couchbase.Chaos.Load;

/// <summary>The <see cref="Kv"/> message for a ledger entry.</summary>
internal static class Commands
{
    public static Kv.ICommand Of(Pending p, object? correlationId)
    {
        TimeSpan? timeout = p.OwnTimeout ? TimeSpan.FromMilliseconds(p.TimeoutMs) : null;
        return p.Op switch
        {
            Op.Get => new Kv.Get(p.Key) { CorrelationId = correlationId, Timeout = timeout },
            Op.Upsert => new Kv.Upsert(p.Key, p.Value) { CorrelationId = correlationId, Timeout = timeout },
            Op.Insert => new Kv.Insert(p.Key, p.Value) { CorrelationId = correlationId, Timeout = timeout },
            Op.Remove => new Kv.Remove(p.Key) { CorrelationId = correlationId, Timeout = timeout },
            Op.Increment => new Kv.Increment(p.Key) { CorrelationId = correlationId, Timeout = timeout, Initial = p.WithInitial ? 0 : null },
            Op.Decrement => new Kv.Decrement(p.Key) { CorrelationId = correlationId, Timeout = timeout, Initial = p.WithInitial ? 0 : null },
            Op.Append => new Kv.Append(p.Key, p.Value!) { CorrelationId = correlationId, Timeout = timeout },
            Op.GetMulti => new Kv.GetMulti(p.Keys!) { CorrelationId = correlationId, Timeout = timeout },
            _ => throw new InvalidOperationException($"no command for {p.Op}"),
        };
    }
}
