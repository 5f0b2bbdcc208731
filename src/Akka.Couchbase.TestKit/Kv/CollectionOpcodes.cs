using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.TestKit.Kv;

/// <summary>Collections opcodes and statuses the shared protocol enums do not name (kv_engine <c>docs/Collections.md</c>).</summary>
internal static class CollectionOpcodes
{
    /// <summary>0xbc GET_SCOPE_ID: a scope's id by name.</summary>
    public const Opcode GetScopeId = (Opcode)0xbc;

    /// <summary>0x8c UNKNOWN_SCOPE.</summary>
    public const KvStatus UnknownScope = (KvStatus)0x8c;

    /// <summary>The error context kv_engine sets with an unknown collection or scope (<c>Cookie::setUnknownCollectionErrorContext</c>).</summary>
    public const string UnknownContext = "Unknown scope or collection in operation";
}
