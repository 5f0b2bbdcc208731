using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.Pipeline;

/// <summary>
/// What a lookup-in or mutate-in needs from its connection's HELLO: Xattr for xattr specs (a server answers
/// NOT_SUPPORTED otherwise), PreserveTtl and AltRequestSupport for a preserved expiry (the Couchbase SDKs refuse it
/// with "feature not available" on servers without it, rather than silently dropping the expiry).
/// </summary>
internal static class SubDocumentGate
{
    /// <summary>Why <paramref name="request"/> cannot go on a connection to <paramref name="node"/> with these features; null when it can.</summary>
    public static string? Refusal(KvRequest request, IReadOnlySet<HelloFeature> negotiated, string node)
    {
        if (!SubDocumentWire.IsSubDocument(request.Opcode)) return null;
        var (name, xattrSpec) = request.Command switch
        {
            Kv.LookupIn lookup => ("LookupIn", FirstXattr(lookup.Specs, s => s.Xattr, s => s.Path)),
            Kv.MutateIn mutate => ("MutateIn", FirstXattr(mutate.Specs, s => s.Xattr, s => s.Path)),
            _ => ("", null),
        };
        if (xattrSpec is { } spec && !negotiated.Contains(HelloFeature.Xattr))
            return $"{name} of key '{request.Key}' refused: spec {spec.Index} ('{spec.Path}') is on an xattr, but {node} did " +
                   "not acknowledge Xattr in HELLO (extended attributes need Couchbase Server 5.0 or later); nothing was sent";
        if (request.Command is Kv.MutateIn { PreserveExpiry: true } &&
            !(negotiated.Contains(HelloFeature.PreserveTtl) && negotiated.Contains(HelloFeature.AltRequestSupport)))
            return $"MutateIn of key '{request.Key}' refused: it asks to preserve the document's expiry, but {node} did not " +
                   "acknowledge PreserveTtl in HELLO (Couchbase Server 7.0 or later); nothing was sent";
        return null;
    }

    private static (int Index, string Path)? FirstXattr<T>(IReadOnlyList<T> specs, Func<T, bool> xattr, Func<T, string> path)
    {
        for (var i = 0; i < specs.Count; i++)
            if (xattr(specs[i])) return (i, path(specs[i]));
        return null;
    }
}
