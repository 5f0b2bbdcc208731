namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>One node of an <see cref="InProcessCluster"/>: its ports and its state.</summary>
public sealed class InProcessNode
{
    private readonly ClusterModel _cluster;
    private long _hiccupUntilTicks;
    private int _truncateLimit = -1;

    internal InProcessNode(ClusterModel cluster, int index, string host)
    {
        _cluster = cluster;
        Index = index;
        Host = host;
        NodeUuid = Guid.NewGuid().ToString("N");
    }

    /// <summary>Position of the node in the cluster (0-based); stable across failover and restart.</summary>
    public int Index { get; }
    /// <summary>Host the node listens on and advertises.</summary>
    public string Host { get; }
    /// <summary>KV (memcached binary protocol) port.</summary>
    public int KvPort { get; internal set; }
    /// <summary>Cluster manager REST port.</summary>
    public int MgmtPort { get; internal set; }
    /// <summary>Views (CAPI) port.</summary>
    public int ViewsPort { get; internal set; }
    /// <summary>KV port with TLS; 0 when the cluster runs without TLS.</summary>
    public int KvTlsPort { get; internal set; }
    /// <summary>Cluster manager REST port with TLS (HTTPS); 0 when the cluster runs without TLS.</summary>
    public int MgmtTlsPort { get; internal set; }
    /// <summary>Views (CAPI) port with TLS (HTTPS); 0 when the cluster runs without TLS.</summary>
    public int ViewsTlsPort { get; internal set; }
    /// <summary>Node UUID as shown in REST.</summary>
    public string NodeUuid { get; }
    /// <summary>True while the node's listeners are up (false after <c>StopNodeAsync</c>).</summary>
    public bool IsRunning { get; internal set; }
    /// <summary>False once the node has been failed over (it is no longer in any map).</summary>
    public bool InCluster { get; internal set; } = true;

    /// <summary>The node's Erlang-style name as REST shows and expects it (<c>n_{index}@{host}</c>, like cluster_run).</summary>
    public string OtpNode => $"n_{Index}@{Host}";

    /// <summary>Number of KV connections open on this node now (plain and TLS).</summary>
    public int KvConnectionCount => Runtime?.KvConnectionCount ?? 0;

    /// <summary>"host:kvport" as written in <c>serverList</c>.</summary>
    public string KvEndpoint => $"{Host}:{KvPort}";

    internal NodeRuntime? Runtime { get; set; }

    /// <summary>Real time until which the node stalls its responses.</summary>
    internal DateTime HiccupUntil => new(Interlocked.Read(ref _hiccupUntilTicks), DateTimeKind.Utc);

    private TaskCompletionSource _hiccupChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the hiccup is changed or cleared, so stalled writers re-check at once.</summary>
    internal Task HiccupChanged => Volatile.Read(ref _hiccupChanged).Task;

    internal void SetHiccup(TimeSpan duration)
    {
        Interlocked.Exchange(ref _hiccupUntilTicks, (DateTime.UtcNow + duration).Ticks);
        Interlocked.Exchange(ref _hiccupChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    internal void SetTruncate(int bytes) => Interlocked.Exchange(ref _truncateLimit, bytes);

    /// <summary>Takes the pending truncation (bytes to send before closing), or -1.</summary>
    internal int TakeTruncate() => Interlocked.Exchange(ref _truncateLimit, -1);

    /// <inheritdoc />
    public override string ToString() => KvTlsPort == 0
        ? $"node {Index} (kv {KvPort}, mgmt {MgmtPort}, views {ViewsPort})"
        : $"node {Index} (kv {KvPort}/{KvTlsPort}, mgmt {MgmtPort}/{MgmtTlsPort}, views {ViewsPort}/{ViewsTlsPort})";
}
