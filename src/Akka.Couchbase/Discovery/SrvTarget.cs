namespace Akka.Couchbase.Discovery;

/// <summary>One SRV record's answer: the node's host name and KV port, with the record's priority and weight.</summary>
internal readonly record struct SrvTarget(string Host, int Port, int Priority, int Weight)
{
    /// <summary>The seed it stands for.</summary>
    public (string Host, int Port) Seed => (Host, Port);
}
