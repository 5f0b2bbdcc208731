using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Cluster;
using Akka.Couchbase.TestKit.Views;

namespace Akka.Couchbase.TestKit.Faults;

/// <summary>
/// Ways to make an <see cref="InProcessCluster"/> misbehave, on command. Topology changes (failover,
/// rebalance, vBucket moves, add-back) bump the map revision; nodes that lose a vBucket answer
/// NOT_MY_VBUCKET with the new map from then on.
/// </summary>
public sealed partial class ClusterFaults
{
    private readonly InProcessCluster _cluster;
    private readonly ClusterModel _model;

    internal ClusterFaults(InProcessCluster cluster, ClusterModel model, ViewFaults views)
    {
        _cluster = cluster;
        _model = model;
        Views = views;
    }

    /// <summary>The KV command log: <c>CommandLog.Start()</c>, run the client, then <c>CommandLog.Snapshot()</c>.</summary>
    public CommandLog CommandLog => _model.CommandLog;

    /// <summary>View stream faults (row delay to slow a stream, cut after N rows), shared by every node's views port.</summary>
    public ViewFaults Views { get; }

    /// <summary>Slows every view response: <paramref name="delayPerChunk"/> is awaited before each chunk of rows.</summary>
    public void SlowViews(TimeSpan delayPerChunk) => Views.RowDelay = delayPerChunk;

    /// <summary>
    /// Clears every fault: forced statuses, pending truncations, hiccups, view faults and forced unknown collections,
    /// and turns CCCP back on.
    /// Topology (failover, stopped nodes) is left as it is.
    /// </summary>
    public void Reset()
    {
        _model.ForcedStatuses.Clear();
        foreach (var n in _model.Nodes)
        {
            n.SetTruncate(-1);
            n.SetHiccup(TimeSpan.Zero);
        }
        Views.Reset();
        ClearCollectionFaults();
        SetCccp(true);
        SlowDurability(TimeSpan.Zero, TimeSpan.Zero);
    }

    /// <summary>
    /// Makes durability take time, as OBSERVE sees it: a mutation is persisted on its active node
    /// <paramref name="persistence"/> after it was made, reaches the replicas <paramref name="replication"/> after
    /// it (before that, a replica reports the key not found), and is persisted there <paramref name="persistence"/>
    /// later still. Measured with the cluster clock from the mutation's CAS. Zero and zero (the default): at once.
    /// </summary>
    public void SlowDurability(TimeSpan persistence, TimeSpan replication)
    {
        lock (_model.Sync)
        {
            _model.PersistDelay = persistence;
            _model.ReplicateDelay = replication;
        }
    }

    private InProcessNode NodeAt(int index) =>
        index >= 0 && index < _model.Nodes.Count ? _model.Nodes[index] : throw new ArgumentOutOfRangeException(nameof(index), $"no node {index}");

    /// <summary>
    /// Fails a node over: it leaves every map, the first replica of each of its active vBuckets is promoted,
    /// replica slots it held become -1, and the revision is bumped. The node keeps running (answering
    /// NOT_MY_VBUCKET) unless it is also stopped.
    /// </summary>
    public void Failover(int node)
    {
        var n = NodeAt(node);
        lock (_model.Sync)
        {
            if (!n.InCluster) return;
            n.InCluster = false;
            foreach (var bucket in _model.Buckets.Values.Where(b => b.Type == BucketType.Couchbase))
            {
                bucket.ForwardMap = null; // a failover stops any rebalance in progress
                foreach (var row in bucket.Map)
                {
                    var kept = row.Where(id => id >= 0 && id != node).ToList();
                    for (var i = 0; i < row.Length; i++) row[i] = i < kept.Count ? kept[i] : -1;
                }
            }
            _model.BumpRev();
        }
    }

    /// <summary>
    /// Brings a failed-over node back into the cluster and, unless <paramref name="rebalance"/> is false, rebalances.
    /// Without the rebalance the node is listed in the map (new revision) but owns no vBuckets yet.
    /// </summary>
    public void AddBack(int node, bool rebalance = true)
    {
        var n = NodeAt(node);
        lock (_model.Sync)
        {
            n.InCluster = true;
            if (rebalance) RebalanceLocked();
            else _model.BumpRev();
        }
    }

    /// <summary>Recomputes a balanced layout over the nodes in the cluster and bumps the revision.</summary>
    public void Rebalance()
    {
        lock (_model.Sync) RebalanceLocked();
    }

    private void RebalanceLocked()
    {
        var members = _model.MapNodes().Select(n => n.Index).ToList();
        foreach (var bucket in _model.Buckets.Values.Where(b => b.Type == BucketType.Couchbase))
        {
            bucket.Map = ClusterModel.Layout(bucket.Definition, members);
            bucket.ForwardMap = null;
        }
        _model.BumpRev();
    }

    /// <summary>
    /// First half of a rebalance: publishes the balanced target layout as <c>vBucketMapForward</c> (new revision)
    /// while ownership stays as it is. <see cref="CompleteRebalance"/> moves the vBuckets.
    /// </summary>
    public void BeginRebalance()
    {
        lock (_model.Sync)
        {
            var members = _model.MapNodes().Select(n => n.Index).ToList();
            foreach (var bucket in _model.Buckets.Values.Where(b => b.Type == BucketType.Couchbase))
                bucket.ForwardMap = ClusterModel.Layout(bucket.Definition, members);
            _model.BumpRev();
        }
    }

    /// <summary>Second half of a rebalance: the forward map becomes the map (new revision); old owners answer NOT_MY_VBUCKET.</summary>
    public void CompleteRebalance()
    {
        lock (_model.Sync)
        {
            foreach (var bucket in _model.Buckets.Values.Where(b => b.Type == BucketType.Couchbase && b.ForwardMap != null))
            {
                bucket.Map = bucket.ForwardMap!;
                bucket.ForwardMap = null;
            }
            _model.BumpRev();
        }
    }

    /// <summary>
    /// Rebalance-style move of one vBucket: <paramref name="activeNode"/> becomes its active owner (the old
    /// owner takes its place among the replicas) and the revision is bumped.
    /// </summary>
    public void MoveVBucket(string bucket, int vBucket, int activeNode)
    {
        NodeAt(activeNode);
        lock (_model.Sync)
        {
            var b = _cluster.Bucket(bucket);
            if (b.Type != BucketType.Couchbase) throw new InvalidOperationException("memcached buckets have no vBuckets");
            var row = b.Map[vBucket];
            var old = row[0];
            if (old == activeNode) return;
            var at = Array.IndexOf(row, activeNode);
            row[0] = activeNode;
            if (at > 0) row[at] = old;
            _model.BumpRev();
        }
    }

    /// <summary>Stops a node: its ports close and every connection to it is cut. The map does not change.</summary>
    public Task StopNodeAsync(int node) => _cluster.StopNodeAsync(NodeAt(node));

    /// <summary>Restarts a stopped node on the same ports (data is kept, locks are released).</summary>
    public Task RestartNodeAsync(int node)
    {
        var n = NodeAt(node);
        if (n.IsRunning) return Task.CompletedTask;
        lock (_model.Sync)
        {
            foreach (var bucket in _model.Buckets.Values)
                for (var vb = 0; vb < bucket.Partitions.Length; vb++)
                    if (bucket.Type == BucketType.Memcached ? vb == node : bucket.Map[vb][0] == node)
                        foreach (var d in bucket.Partitions[vb].AllDocuments()) d.LockedUntilMs = 0;
        }
        _cluster.StartNode(n, NodePorts.Of(n));
        return Task.CompletedTask;
    }

    /// <summary>Stalls every response of a node's KV connections for <paramref name="duration"/> (requests queue up).</summary>
    public void Hiccup(int node, TimeSpan duration) => NodeAt(node).SetHiccup(duration);

    /// <summary>Cuts every open KV connection of a node, plain and TLS (the ports stay open; clients may reconnect).</summary>
    public void DropConnections(int node) => NodeAt(node).Runtime?.DropKvConnections();

    /// <summary>
    /// The next response batch a node writes is cut after <paramref name="bytes"/> bytes (always inside the first
    /// frame), then the connection closes.
    /// </summary>
    public void Truncate(int node, int bytes)
    {
        if (bytes < 0) throw new ArgumentOutOfRangeException(nameof(bytes));
        NodeAt(node).SetTruncate(bytes);
    }

    /// <summary>
    /// Answers <paramref name="status"/> instead of executing matching KV commands, <paramref name="count"/> times
    /// (negative = until removed). Matches on opcode (quiet twins included; null = any key-bearing command),
    /// a regular expression on the key, a node index and a bucket name; null matches anything.
    /// </summary>
    public ForcedStatusRule ForceStatus(KvStatus status, Opcode? opcode = null, string? keyPattern = null, int count = 1,
        int? node = null, string? bucket = null)
    {
        if (count == 0) throw new ArgumentOutOfRangeException(nameof(count), "0 would never fire");
        return _model.ForcedStatuses.Add(status, opcode, keyPattern, node, bucket, count);
    }

    /// <summary>
    /// Swallows matching KV requests <paramref name="count"/> times (negative = until disposed): they are neither
    /// executed nor answered, while everything else on the connection is (for per-request deadline tests).
    /// Matching as for <see cref="ForceStatus"/>.
    /// </summary>
    public ForcedStatusRule Swallow(Opcode? opcode = null, string? keyPattern = null, int count = 1, int? node = null,
        string? bucket = null)
    {
        if (count == 0) throw new ArgumentOutOfRangeException(nameof(count), "0 would never fire");
        return _model.ForcedStatuses.Add(KvStatus.Success, opcode, keyPattern, node, bucket, count, noReply: true);
    }

    /// <summary>Removes every forced-status and swallow rule.</summary>
    public void ClearForcedStatuses() => _model.ForcedStatuses.Clear();

    /// <summary>Moves the cluster clock forward (documents and locks expire accordingly).</summary>
    public void AdvanceClock(TimeSpan by) => _model.Clock.Advance(by);

    /// <summary>
    /// Turns CCCP off or on: when off, GET_CLUSTER_CONFIG answers NOT_SUPPORTED and NOT_MY_VBUCKET carries no
    /// map, which drives clients to HTTP bootstrap.
    /// </summary>
    public void SetCccp(bool enabled)
    {
        lock (_model.Sync) _model.CccpEnabled = enabled;
    }
}
