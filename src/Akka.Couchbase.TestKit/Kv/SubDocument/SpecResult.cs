using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>What one spec gave: its status and the value it answers (GET, COUNTER, GET_COUNT, whole-document GET).</summary>
internal readonly record struct SpecResult(KvStatus Status, byte[]? Value)
{
    /// <summary>A spec that did not run (a mutation stops at its first failure).</summary>
    public static readonly SpecResult NotRun = new(KvStatus.InternalError, null);
}
