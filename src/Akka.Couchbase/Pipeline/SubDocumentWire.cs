using Akka.Couchbase.Protocol;
using Akka.Couchbase.Protocol.SubDocument;

namespace Akka.Couchbase.Pipeline;

/// <summary>
/// The header fields of a lookup-in or mutate-in request that <see cref="RequestEncoder"/> writes, read from its
/// command: the document flags and expiry in the extras (<see cref="MultiPathExtras"/>), and the preserve-TTL frame
/// info, which makes the request one with flexible framing extras (magic 0x08).
/// </summary>
internal static class SubDocumentWire
{
    public static bool IsSubDocument(Opcode opcode) => opcode is Opcode.SubdocMultiLookup or Opcode.SubdocMultiMutation;

    /// <summary>The document flags of the command.</summary>
    public static DocFlags DocFlagsOf(Kv.ICommand command) => command switch
    {
        Kv.LookupIn lookup => lookup.AccessDeleted ? DocFlags.AccessDeleted : DocFlags.None,
        Kv.MutateIn mutate => (mutate.StoreSemantics switch
        {
            StoreSemantics.Upsert => DocFlags.Mkdoc,
            StoreSemantics.Insert => DocFlags.Add,
            _ => DocFlags.None,
        }) | (mutate.AccessDeleted ? DocFlags.AccessDeleted : DocFlags.None),
        _ => DocFlags.None,
    };

    /// <summary>Bytes of framing extras: 1 for a mutate-in that preserves the expiry, else 0.</summary>
    public static int FramingExtrasLength(KvRequest request) =>
        request.Opcode == Opcode.SubdocMultiMutation && request.Command is Kv.MutateIn { PreserveExpiry: true } ? 1 : 0;

    /// <summary>Bytes of extras (0, 1, 4 or 5).</summary>
    public static int ExtrasLength(KvRequest request) =>
        MultiPathExtras.Length(ExpiryOf(request), DocFlagsOf(request.Command));

    public static void WriteFramingExtras(Span<byte> dest, KvRequest request)
    {
        if (FramingExtrasLength(request) == 1) dest[0] = MultiPathExtras.PreserveTtlFrameInfo;
    }

    public static void WriteExtras(Span<byte> dest, KvRequest request) =>
        MultiPathExtras.Write(dest, ExpiryOf(request), DocFlagsOf(request.Command));

    private static uint ExpiryOf(KvRequest request) => request.Opcode == Opcode.SubdocMultiMutation ? request.Expiry : 0;
}
