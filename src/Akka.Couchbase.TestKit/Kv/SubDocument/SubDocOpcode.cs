using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>The sub-document opcodes (kv_engine <c>docs/BinaryProtocol.md</c>, 0xc5-0xd3).</summary>
internal static class SubDocOpcode
{
    public const Opcode Get = (Opcode)0xc5;
    public const Opcode Exists = (Opcode)0xc6;
    public const Opcode DictAdd = (Opcode)0xc7;
    public const Opcode DictUpsert = (Opcode)0xc8;
    public const Opcode Delete = (Opcode)0xc9;
    public const Opcode Replace = (Opcode)0xca;
    public const Opcode ArrayPushLast = (Opcode)0xcb;
    public const Opcode ArrayPushFirst = (Opcode)0xcc;
    public const Opcode ArrayInsert = (Opcode)0xcd;
    public const Opcode ArrayAddUnique = (Opcode)0xce;
    public const Opcode Counter = (Opcode)0xcf;
    public const Opcode MultiLookup = (Opcode)0xd0;
    public const Opcode MultiMutation = (Opcode)0xd1;
    public const Opcode GetCount = (Opcode)0xd2;
    public const Opcode ReplaceBodyWithXattr = (Opcode)0xd3;

    /// <summary>True for every opcode the sub-document engine answers.</summary>
    public static bool IsSubDoc(Opcode op) => (byte)op is >= 0xc5 and <= 0xd3;
}
