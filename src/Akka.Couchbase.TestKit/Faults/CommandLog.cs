using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.TestKit.Faults;

/// <summary>One KV request as a node received it.</summary>
/// <param name="Sequence">Position in the log (cluster-wide arrival order).</param>
/// <param name="Node">Index of the node that received it.</param>
/// <param name="Connection">Id of the KV connection it came on (unique per cluster).</param>
/// <param name="Opcode">Opcode as sent (quiet variants kept).</param>
/// <param name="Key">Key as UTF-8 text, or null when the request has no key.</param>
/// <param name="VBucket">vBucket field of the header.</param>
/// <param name="Opaque">Opaque of the request.</param>
/// <param name="Cas">CAS of the request.</param>
/// <param name="Bucket">Bucket selected on the connection at the time, or null.</param>
public sealed record KvCommandRecord(long Sequence, int Node, long Connection, Opcode Opcode, string? Key, ushort VBucket,
    uint Opaque, ulong Cas, string? Bucket)
{
    /// <summary>
    /// The collection id that preceded the key on a connection that negotiated Collections (0 for the default
    /// collection); null on connections without Collections. <see cref="Key"/> is the key without it.
    /// </summary>
    public uint? CollectionId { get; init; }
}

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

    internal void Record(Frame f, int node, long connection, string? bucket, bool collections = false)
    {
        if (!_enabled) return;
        var keyed = f.KeyLength > 0 && f.Opcode is not (Opcode.Hello or Opcode.SaslAuth or Opcode.SaslStep or Opcode.SelectBucket or Opcode.Stat);
        var keyBytes = keyed ? f.Key : default;
        uint? collectionId = null;
        if (keyed && collections && TryPrefix(keyBytes, out var id, out var length))
        {
            collectionId = id;
            keyBytes = keyBytes.Slice(length);
        }
        var key = keyed ? System.Text.Encoding.UTF8.GetString(keyBytes) : null;
        lock (_records)
            _records.Add(new KvCommandRecord(++_sequence, node, connection, f.Opcode, key, f.VBucket, f.Opaque, f.Cas, bucket)
            {
                CollectionId = collectionId,
            });
    }

    /// <summary>The unsigned LEB128 collection id at the start of a key (at most 5 bytes).</summary>
    private static bool TryPrefix(ReadOnlySpan<byte> key, out uint id, out int length)
    {
        id = 0;
        for (length = 0; length < key.Length && length < 5; length++)
        {
            id |= (uint)(key[length] & 0x7f) << (7 * length);
            if ((key[length] & 0x80) == 0)
            {
                length++;
                return true;
            }
        }
        return false;
    }
}
