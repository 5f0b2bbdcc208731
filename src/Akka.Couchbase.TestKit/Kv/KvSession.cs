using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Cluster;

namespace Akka.Couchbase.TestKit.Kv;

/// <summary>What one KV connection has negotiated: HELLO features, the authenticated user, the bucket.</summary>
internal sealed class KvSession
{
    public KvSession(SaslServer sasl) => Sasl = sasl;

    public SaslServer Sasl { get; }
    public HashSet<HelloFeature> Features { get; } = new();
    public string? User { get; set; }
    public InProcessBucket? Bucket { get; set; }

    /// <summary>Highest map revision this connection is known to have (sent by us or announced by the client).</summary>
    public long KnownRev { get; set; } = -1;

    public bool XError => Features.Contains(HelloFeature.XError);
    public bool Json => Features.Contains(HelloFeature.Json);
    public bool MutationSeqno => Features.Contains(HelloFeature.MutationSeqno);
    /// <summary>Whether document keys start with a LEB128 collection id (HELLO Collections).</summary>
    public bool Collections => Features.Contains(HelloFeature.Collections);

    /// <summary>The datatype bits this connection may see.</summary>
    public DataType Visible(DataType stored) => Json ? stored & DataType.Json : DataType.Raw;
}
