using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.TestKit.Tests.SubDocument;

/// <summary>The sub-document wire constants as kv_engine's docs/BinaryProtocol.md and status.h give them.</summary>
internal static class SubDoc
{
    // opcodes
    public const byte Get = 0xc5, Exists = 0xc6, DictAdd = 0xc7, DictUpsert = 0xc8, Delete = 0xc9, Replace = 0xca,
        ArrayPushLast = 0xcb, ArrayPushFirst = 0xcc, ArrayInsert = 0xcd, ArrayAddUnique = 0xce, Counter = 0xcf,
        MultiLookup = 0xd0, MultiMutation = 0xd1, GetCount = 0xd2, ReplaceBodyWithXattr = 0xd3;

    // whole-document opcodes inside multi-path specs
    public const byte WholeGet = 0x00, WholeSet = 0x01, WholeDelete = 0x04;

    // path flags
    public const byte MkdirP = 0x01, Xattr = 0x04, ExpandMacros = 0x10;

    // doc flags
    public const byte Mkdoc = 0x01, Add = 0x02, AccessDeleted = 0x04, CreateAsDeleted = 0x08, ReviveDocument = 0x10;

    // statuses
    public const KvStatus PathNotFound = (KvStatus)0xc0, PathMismatch = (KvStatus)0xc1, PathInvalid = (KvStatus)0xc2,
        PathTooBig = (KvStatus)0xc3, DocTooDeep = (KvStatus)0xc4, ValueCantInsert = (KvStatus)0xc5,
        DocNotJson = (KvStatus)0xc6, NumberTooBig = (KvStatus)0xc7, DeltaInvalid = (KvStatus)0xc8,
        PathExists = (KvStatus)0xc9, ValueTooDeep = (KvStatus)0xca, InvalidCombo = (KvStatus)0xcb,
        MultiPathFailure = (KvStatus)0xcc, SuccessDeleted = (KvStatus)0xcd, XattrInvalidFlagCombo = (KvStatus)0xce,
        XattrUnknownMacro = (KvStatus)0xd0, XattrUnknownVattr = (KvStatus)0xd1, XattrCantModifyVattr = (KvStatus)0xd2,
        MultiPathFailureDeleted = (KvStatus)0xd3, InvalidXattrOrder = (KvStatus)0xd4,
        XattrUnknownVattrMacro = (KvStatus)0xd5, CanOnlyReviveDeletedDocuments = (KvStatus)0xd6,
        DeletedDocumentCantHaveValue = (KvStatus)0xd7;
}

/// <summary>One spec of a multi-path request.</summary>
internal sealed record Spec(byte Opcode, string Path, string? Value = null, byte Flags = 0);
