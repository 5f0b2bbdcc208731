using Akka.Actor;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Pipeline;

namespace Akka.Couchbase.Actors;

/// <summary>Messages between the <see cref="ClusterSupervisor"/> and its <see cref="NodeConnection"/> children.</summary>
internal static class NodeMessages
{
    /// <summary>Child → parent: the connection finished its handshake and takes requests.</summary>
    public sealed record Ready(int NodeIndex, string Node, string? ConfigJson, IReadOnlyCollection<HelloFeature> Features) : INoSerializationVerificationNeeded;

    /// <summary>Child → parent: the socket was lost or the handshake failed; the child reconnects with backoff.</summary>
    public sealed record ConnectionLost(int NodeIndex, string Node, Exception Reason, bool IsAuthenticationFailure) : INoSerializationVerificationNeeded;

    /// <summary>Child → parent: the node does not own the request's vBucket; the body may hold a newer map.</summary>
    public sealed record NotMyVBucket(int NodeIndex, KvRequest Request, string? ConfigJson) : INoSerializationVerificationNeeded;

    /// <summary>
    /// Child → parent: the node does not know the request's collection id (UNKNOWN_COLLECTION): the id is refreshed
    /// and the request sent again; <paramref name="ManifestUid"/> is the node's manifest uid from the reply, if any.
    /// </summary>
    public sealed record UnknownCollection(int NodeIndex, KvRequest Request, string? ManifestUid) : INoSerializationVerificationNeeded;

    /// <summary>
    /// Parent → child: answer <see cref="FenceDone"/> once every request sent to you before this one is answered
    /// (or, when closing, handed back in <see cref="Returned"/>).
    /// </summary>
    public sealed record Fence(long Token) : INoSerializationVerificationNeeded;

    /// <summary>Child → parent: reply to <see cref="Fence"/>.</summary>
    public sealed record FenceDone(int NodeIndex, long Token) : INoSerializationVerificationNeeded;

    /// <summary>Parent → child: fetch the cluster map (GET_CLUSTER_CONFIG).</summary>
    public sealed record FetchConfig : INoSerializationVerificationNeeded
    {
        public static readonly FetchConfig Instance = new();
    }

    /// <summary>Child → parent: a cluster map read from the node.</summary>
    public sealed record ConfigFetched(int NodeIndex, string ConfigJson) : INoSerializationVerificationNeeded;

    /// <summary>Child → parent: the node does not serve the cluster map on the KV port (GET_CLUSTER_CONFIG refused).</summary>
    public sealed record ConfigUnavailable(int NodeIndex, string Reason) : INoSerializationVerificationNeeded;

    /// <summary><see cref="HttpConfigStream"/> → parent: a cluster map read over HTTP from <paramref name="Host"/>.</summary>
    public sealed record HttpConfigFetched(string ConfigJson, string Host) : INoSerializationVerificationNeeded;

    /// <summary><see cref="HttpConfigStream"/> → parent: the stream failed (it reopens by itself).</summary>
    public sealed record HttpConfigFailed(string Reason) : INoSerializationVerificationNeeded;

    /// <summary>Parent → child: the node left the map; finish what is written, hand back what is not, then stop.</summary>
    public sealed record Close : INoSerializationVerificationNeeded
    {
        public static readonly Close Instance = new();
    }

    /// <summary>Child → parent: the last message of a closing child, after everything it handed back or answered.</summary>
    public sealed record Closed(int NodeIndex) : INoSerializationVerificationNeeded;

    /// <summary>Child → parent: requests the child holds that were never written, handed back to be routed again.</summary>
    public sealed record Returned(int NodeIndex, IReadOnlyList<KvRequest> Requests) : INoSerializationVerificationNeeded;

    /// <summary>Parent → itself: the deadline sweep, while it holds commands.</summary>
    public sealed record Tick : INoSerializationVerificationNeeded
    {
        public static readonly Tick Instance = new();
    }

    /// <summary>Parent → itself: time to poll a node for a newer cluster map (<c>config-poll-interval</c>).</summary>
    public sealed record Poll : INoSerializationVerificationNeeded
    {
        public static readonly Poll Instance = new();
    }
}
