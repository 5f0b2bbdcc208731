namespace Akka.Couchbase.Protocol.SubDocument;

/// <summary>
/// What sub-document operations need from HELLO (kv_engine <c>docs/SubDocument.md</c>, <c>docs/BinaryProtocol.md</c>):
/// Xattr for paths with the xattr flag, and PreserveTtl with AltRequestSupport for a mutation that keeps the
/// document's expiry (the preserve-TTL frame info travels in a request with flexible framing extras, magic 0x08).
/// </summary>
internal static class SubDocumentFeatures
{
    /// <summary>Requested in HELLO for Couchbase buckets (memcached buckets have no sub-document commands).</summary>
    public static IReadOnlyList<HelloFeature> Requested { get; } =
        [HelloFeature.Xattr, HelloFeature.AltRequestSupport, HelloFeature.PreserveTtl];
}
