using Akka.Couchbase.TestKit.Faults;

namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>
/// The shared state of an in-process cluster: nodes, buckets, their maps and the revision. Every change is
/// made under <see cref="Sync"/>; topology changes bump <see cref="Rev"/> and wake config streams.
/// </summary>
internal sealed class ClusterModel
{
    private TaskCompletionSource _configChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ClusterModel(InProcessClusterOptions options)
    {
        Options = options;
        Clock = new TestClock(options.ClockStart);
        Uuid = Guid.NewGuid().ToString("N");
        for (var i = 0; i < options.Nodes; i++) Nodes.Add(new InProcessNode(this, i, options.Host));
        Credentials = new Credentials(options.Users, options.ScramIterations);
        foreach (var def in options.Buckets)
        {
            var bucket = new InProcessBucket(this, def);
            Buckets.Add(def.Name, bucket);
            if (def.Type == BucketType.Couchbase) bucket.Map = Layout(def, Enumerable.Range(0, Nodes.Count).ToList());
        }
    }

    public object Sync { get; } = new();
    public InProcessClusterOptions Options { get; }
    public TestClock Clock { get; }
    public string Uuid { get; }
    public List<InProcessNode> Nodes { get; } = new();
    public Dictionary<string, InProcessBucket> Buckets { get; } = new(StringComparer.Ordinal);
    public Credentials Credentials { get; }
    public ForcedStatusRules ForcedStatuses { get; } = new();
    public long Rev { get; private set; } = 1;
    public long RevEpoch => 1;
    public bool CccpEnabled { get; set; } = true;
    /// <summary>How long after a mutation OBSERVE reports it persisted on the active node (zero: at once).</summary>
    public TimeSpan PersistDelay { get; set; }
    /// <summary>How long after a mutation replicas have it (OBSERVE on a replica reports it from then on).</summary>
    public TimeSpan ReplicateDelay { get; set; }

    /// <summary>The KV command log (off until started).</summary>
    public CommandLog CommandLog { get; } = new();

    private long _connectionIds;

    /// <summary>A new cluster-wide KV connection id.</summary>
    public long NextConnectionId() => Interlocked.Increment(ref _connectionIds);

    /// <summary>Successful SASL authentications per mechanism name.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> Authentications { get; } = new(StringComparer.Ordinal);

    /// <summary>Completes at the next topology change (read under no lock; swapped atomically).</summary>
    public Task ConfigChanged => Volatile.Read(ref _configChanged).Task;

    /// <summary>Nodes that are part of the cluster map (not failed over), in index order.</summary>
    public List<InProcessNode> MapNodes() => Nodes.Where(n => n.InCluster).ToList();

    /// <summary>Bumps the revision and wakes waiters; call with <see cref="Sync"/> held.</summary>
    public void BumpRev()
    {
        Rev++;
        var old = Interlocked.Exchange(ref _configChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        old.TrySetResult();
    }

    /// <summary>Balanced layout: contiguous ranges of active vBuckets, replicas on the following nodes.</summary>
    public static int[][] Layout(BucketDefinition def, IReadOnlyList<int> nodes)
    {
        var rows = new int[def.VBuckets][];
        var n = nodes.Count;
        for (var vb = 0; vb < def.VBuckets; vb++)
        {
            var row = new int[def.Replicas + 1];
            if (n == 0)
            {
                Array.Fill(row, -1);
            }
            else
            {
                var a = (int)((long)vb * n / def.VBuckets);
                row[0] = nodes[a];
                for (var r = 1; r <= def.Replicas; r++)
                    row[r] = r < n ? nodes[(a + r) % n] : -1;
            }
            rows[vb] = row;
        }
        return rows;
    }
}
