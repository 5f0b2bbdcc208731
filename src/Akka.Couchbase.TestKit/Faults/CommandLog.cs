using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.TestKit.Faults;

/// <summary>One KV request as a node received it.</summary>
/// <param name="Sequence">Position in the log (cluster-wide arrival order).</param>
/// <param name="Node">Index of the node that received it.</param>
/// <param name="Connection">Id of the KV connection it came on (unique per cluster).</param>
/// <param name="Opcode">Opcode as sent (quiet variants kept).</param>
/// <param name="Key">
/// Key as UTF-8 text, or null when the request has no key. On a connection that negotiated Collections, a document
/// key without its collection id (which is <paramref name="CollectionId"/>).
/// </param>
/// <param name="VBucket">vBucket field of the header.</param>
/// <param name="Opaque">Opaque of the request.</param>
/// <param name="Cas">CAS of the request.</param>
/// <param name="Bucket">Bucket selected on the connection at the time, or null.</param>
/// <param name="CollectionId">
/// The collection id written in front of the key (connections that negotiated Collections), or null: no key, no
/// collections on the connection (the default collection), or a prefix that does not decode (the key is then kept whole).
/// </param>
public sealed record KvCommandRecord(long Sequence, int Node, long Connection, Opcode Opcode, string? Key, ushort VBucket,
    uint Opaque, ulong Cas, string? Bucket, uint? CollectionId = null);

/// <summary>
/// Records the KV requests nodes receive, in arrival order, while started (like CouchbaseMock's
/// START_CMDLOG/GET_CMDLOG): useful to check what a client sent, where and in which order.
/// </summary>
public sealed class CommandLog
{
    private readonly List<KvCommandRecord> _records = new();
    private volatile bool _enabled;
    private long _sequence;

    /// <summary>True while recording.</summary>
    public bool IsRecording => _enabled;

    /// <summary>Clears the log and starts recording.</summary>
    public void Start()
    {
        lock (_records) _records.Clear();
        _enabled = true;
    }

    /// <summary>Stops recording (the log is kept).</summary>
    public void Stop() => _enabled = false;

    /// <summary>A copy of what was recorded so far.</summary>
    public IReadOnlyList<KvCommandRecord> Snapshot()
    {
        lock (_records) return _records.ToArray();
    }

    /// <param name="f">The request.</param>
    /// <param name="node">The node's index.</param>
    /// <param name="connection">The connection's id.</param>
    /// <param name="bucket">The selected bucket.</param>
    /// <param name="collections">Whether the connection negotiated Collections (document keys carry a collection id).</param>
    internal void Record(Frame f, int node, long connection, string? bucket, bool collections = false)
    {
        if (!_enabled) return;
        string? key = null;
        uint? collectionId = null;
        if (f.KeyLength > 0 && f.Opcode is not (Opcode.Hello or Opcode.SaslAuth or Opcode.SaslStep or Opcode.SelectBucket or Opcode.Stat))
        {
            var bytes = f.Key;
            // GET_COLLECTION_ID and GET_SCOPE_ID (0xbc) may carry a path as the key: not a document key
            if (collections && f.Opcode is not (Opcode.GetCollectionId or Kv.CollectionOpcodes.GetScopeId)
                && Kv.Leb128.TryDecode(bytes, out var id, out var length) == Kv.Leb128.Outcome.Ok)
            {
                collectionId = id;
                bytes = bytes[length..];
            }
            key = System.Text.Encoding.UTF8.GetString(bytes);
        }
        lock (_records)
            _records.Add(new KvCommandRecord(++_sequence, node, connection, f.Opcode, key, f.VBucket, f.Opaque, f.Cas, bucket, collectionId));
    }
}
