namespace Akka.Couchbase.Protocol;

/// <summary>HELLO feature codes (spec §2.6). Only the ones this project negotiates or answers are named.</summary>
public enum HelloFeature : ushort
{
    /// <summary>Informational: TCP_NODELAY.</summary>
    TcpNoDelay = 0x03,
    /// <summary>16-byte (vb-uuid, seqno) extras on mutation replies.</summary>
    MutationSeqno = 0x04,
    /// <summary>Extended attributes allowed.</summary>
    Xattr = 0x06,
    /// <summary>Extended error codes may be sent.</summary>
    XError = 0x07,
    /// <summary>SELECT_BUCKET may be used.</summary>
    SelectBucket = 0x08,
    /// <summary>Snappy datatype allowed.</summary>
    Snappy = 0x0a,
    /// <summary>JSON datatype bit is meaningful.</summary>
    Json = 0x0b,
    /// <summary>Server may send requests (magic 0x82).</summary>
    Duplex = 0x0c,
    /// <summary>Server pushes cluster maps.</summary>
    ClustermapChangeNotification = 0x0d,
    /// <summary>Server may reorder commands.</summary>
    UnorderedExecution = 0x0e,
    /// <summary>Response frame info with server duration.</summary>
    Tracing = 0x0f,
    /// <summary>Client may send magic 0x08.</summary>
    AltRequestSupport = 0x10,
    /// <summary>Durability frame id usable.</summary>
    SyncReplication = 0x11,
    /// <summary>Keys are prefixed by a LEB128 collection id.</summary>
    Collections = 0x12,
    /// <summary>Mutations may carry the preserve-TTL frame info (keep the document's expiry).</summary>
    PreserveTtl = 0x14,
    /// <summary>GET_CLUSTER_CONFIG may carry epoch and revision extras.</summary>
    GetClusterConfigWithKnownVersion = 0x1d,
    /// <summary>NOT_MY_VBUCKET body omitted when the client has that map.</summary>
    DedupeNotMyVbucketClustermap = 0x1e,
    /// <summary>Brief cluster map change notifications.</summary>
    ClustermapChangeNotificationBrief = 0x1f,
}
