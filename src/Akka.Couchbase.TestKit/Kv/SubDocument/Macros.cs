using System.Buffers.Binary;
using System.Globalization;

namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>
/// The macros an xattr mutation with EXPAND_MACROS may carry as its whole value (kv_engine
/// <c>include/xattr/utils.h</c>): <c>"${Mutation.CAS}"</c>, <c>"${Mutation.seqno}"</c>,
/// <c>"${Mutation.value_crc32c}"</c>, expanded once the mutation's CAS, seqno and body are known, and the
/// virtual <c>"${$document...}"</c> ones, expanded from the document as it was.
/// </summary>
internal static class Macros
{
    public const string Cas = "\"${Mutation.CAS}\"";
    public const string Seqno = "\"${Mutation.seqno}\"";
    public const string ValueCrc32C = "\"${Mutation.value_crc32c}\"";

    /// <summary>Whether the value of an EXPAND_MACROS spec is one the server accepts (else XATTR_UNKNOWN_MACRO).</summary>
    public static bool IsKnown(string value) =>
        value is Cas or Seqno or ValueCrc32C || IsVirtual(value);

    /// <summary>A <c>"${$document...}"</c> macro.</summary>
    public static bool IsVirtual(string value) => value.StartsWith("\"${$document", StringComparison.Ordinal) && value.EndsWith("}\"", StringComparison.Ordinal);

    /// <summary>
    /// The expansion of <c>${Mutation.CAS}</c>: the CAS in network byte order printed as a 64-bit hex number, as the
    /// server writes it (so it reads as the CAS's little-endian bytes).
    /// </summary>
    public static string ExpandCas(ulong cas) => Hex64(BinaryPrimitives.ReverseEndianness(cas));

    public static string ExpandSeqno(ulong seqno) => Hex64(seqno);

    public static string ExpandCrc32C(uint crc) => "\"0x" + crc.ToString("x8", CultureInfo.InvariantCulture) + "\"";

    /// <summary><c>"0x"</c> and 16 hex digits, quoted (cb::to_hex).</summary>
    public static string Hex64(ulong value) => "\"0x" + value.ToString("x16", CultureInfo.InvariantCulture) + "\"";
}
