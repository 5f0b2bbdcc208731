using Akka.Couchbase.Pipeline;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.Actors;

/// <summary>
/// Commands that need a HELLO feature this connection did not negotiate (xattr specs, a preserved expiry) are
/// answered here, before the wire, with a <see cref="KvFeatureNotAvailableException"/>: see <see cref="SubDocumentGate"/>.
/// </summary>
internal sealed partial class NodeConnection
{
    private IReadOnlySet<HelloFeature> _negotiated = new HashSet<HelloFeature>();

    /// <summary>True when <paramref name="request"/> was answered because the connection lacks a feature it needs.</summary>
    private bool RefusedForFeatures(KvRequest request)
    {
        if (SubDocumentGate.Refusal(request, _negotiated, _name) is not { } reason) return false;
        request.Fail(new KvFeatureNotAvailableException(reason, request.Context(_inFlight.Count, QueueDepth)));
        return true;
    }
}
