using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>The sub-document statuses (kv_engine <c>include/mcbp/protocol/status.h</c>, 0xc0-0xd8).</summary>
internal static class SubDocStatus
{
    public const KvStatus PathNotFound = (KvStatus)0xc0;
    public const KvStatus PathMismatch = (KvStatus)0xc1;
    public const KvStatus PathInvalid = (KvStatus)0xc2;
    public const KvStatus PathTooBig = (KvStatus)0xc3;
    public const KvStatus DocTooDeep = (KvStatus)0xc4;
    public const KvStatus ValueCantInsert = (KvStatus)0xc5;
    public const KvStatus DocNotJson = (KvStatus)0xc6;
    public const KvStatus NumberTooBig = (KvStatus)0xc7;
    public const KvStatus DeltaInvalid = (KvStatus)0xc8;
    public const KvStatus PathExists = (KvStatus)0xc9;
    public const KvStatus ValueTooDeep = (KvStatus)0xca;
    public const KvStatus InvalidCombo = (KvStatus)0xcb;
    public const KvStatus MultiPathFailure = (KvStatus)0xcc;
    public const KvStatus SuccessDeleted = (KvStatus)0xcd;
    public const KvStatus XattrInvalidFlagCombo = (KvStatus)0xce;
    public const KvStatus XattrInvalidKeyCombo = (KvStatus)0xcf;
    public const KvStatus XattrUnknownMacro = (KvStatus)0xd0;
    public const KvStatus XattrUnknownVattr = (KvStatus)0xd1;
    public const KvStatus XattrCantModifyVattr = (KvStatus)0xd2;
    public const KvStatus MultiPathFailureDeleted = (KvStatus)0xd3;
    public const KvStatus InvalidXattrOrder = (KvStatus)0xd4;
    public const KvStatus XattrUnknownVattrMacro = (KvStatus)0xd5;
    public const KvStatus CanOnlyReviveDeletedDocuments = (KvStatus)0xd6;
    public const KvStatus DeletedDocumentCantHaveValue = (KvStatus)0xd7;
    public const KvStatus FieldNotBinaryValue = (KvStatus)0xd8;
}
