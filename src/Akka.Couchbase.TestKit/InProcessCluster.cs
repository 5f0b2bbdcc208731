using Akka.Couchbase.TestKit.Cluster;
using Akka.Couchbase.TestKit.Faults;
using Akka.Couchbase.TestKit.Rest;
using Akka.Couchbase.TestKit.Tls;
using Akka.Couchbase.TestKit.Views;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit;

/// <summary>
/// An in-process multi-node Couchbase cluster speaking the real protocols over real sockets: per node a KV
/// port (memcached binary protocol, all buckets, SELECT_BUCKET), a cluster manager REST port and a views
/// port. Start it with <see cref="StartAsync"/>, break it through <see cref="Faults"/>, stop it by disposal.
/// </summary>
/// <example>
/// <code>
/// await using var cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions
/// {
///     Nodes = 3,
///     Buckets = { new BucketDefinition("default", BucketType.Couchbase, VBuckets: 64, Replicas: 1) },
///     Users = { ["Administrator"] = "password" },
/// });
/// var connectionString = cluster.ConnectionString;
/// </code>
/// </example>
public sealed partial class InProcessCluster : IAsyncDisposable
{
    private readonly ClusterModel _model;
    private int _disposed;

    private InProcessCluster(ClusterModel model)
    {
        _model = model;
        Tls = model.Options.Tls ? ClusterTls.Start(model) : ClusterTls.Disabled;
        DesignDocuments = new DesignDocumentStore();
        var viewFaults = new ViewFaults();
        Views = new ViewService(new ClusterViewSource(model), DesignDocuments, model.Credentials.Check, viewFaults);
        Faults = new ClusterFaults(this, model, viewFaults);
    }

    /// <summary>
    /// TLS: the CA file clients must trust, the <c>couchbases://</c> connection string, certificate faults and client
    /// certificates. Off (<see cref="ClusterTls.IsEnabled"/> false) unless started with <see cref="InProcessClusterOptions.Tls"/>.
    /// </summary>
    public ClusterTls Tls { get; }

    /// <summary>The design documents of every bucket (what the views port serves).</summary>
    public DesignDocumentStore DesignDocuments { get; }

    /// <summary>The view engine answering every node's views port (counters for assertions).</summary>
    public ViewService Views { get; }

    /// <summary>Starts a cluster; returns once every node listens on all its ports.</summary>
    public static async Task<InProcessCluster> StartAsync(InProcessClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new InProcessClusterOptions();
        if (options.Nodes < 1) throw new ArgumentOutOfRangeException(nameof(options), "Nodes must be at least 1");
        if (options.Buckets.Count == 0) options.Buckets.Add(new BucketDefinition("default"));
        if (options.Users.Count == 0) options.Users["Administrator"] = "password";
        foreach (var b in options.Buckets)
        {
            if (b.Type == BucketType.Couchbase && (b.VBuckets < 1 || (b.VBuckets & (b.VBuckets - 1)) != 0 || b.VBuckets > 1024))
                throw new ArgumentException($"bucket '{b.Name}': VBuckets must be a power of two between 1 and 1024", nameof(options));
            if (b.Replicas is < 0 or > 3)
                throw new ArgumentException($"bucket '{b.Name}': Replicas must be between 0 and 3", nameof(options));
        }
        if (options.ClientCertificates != ClientCertificateMode.Disabled && !options.Tls)
            throw new ArgumentException("ClientCertificates needs Tls = true", nameof(options));
        if (options.Buckets.Select(b => b.Name).Distinct(StringComparer.Ordinal).Count() != options.Buckets.Count)
            throw new ArgumentException("bucket names must be unique", nameof(options));
        cancellationToken.ThrowIfCancellationRequested();
        var model = new ClusterModel(options);
        var cluster = new InProcessCluster(model);
        try
        {
            foreach (var node in model.Nodes) cluster.StartNode(node, NodePorts.From(options, node.Index));
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return cluster;
    }

    /// <summary>The nodes, by index.</summary>
    public IReadOnlyList<InProcessNode> Nodes => _model.Nodes;

    /// <summary>The buckets, by name.</summary>
    public IReadOnlyDictionary<string, InProcessBucket> Buckets => _model.Buckets;

    /// <summary>The bucket called <paramref name="name"/>.</summary>
    public InProcessBucket Bucket(string name) =>
        _model.Buckets.TryGetValue(name, out var b) ? b : throw new KeyNotFoundException($"no bucket '{name}'");

    /// <summary>The cluster's clock (document expiry, lock timeouts); move it with <see cref="TestClock.Advance"/>.</summary>
    public TestClock Clock => _model.Clock;

    /// <summary>Fault injection: failover, restart, rebalance, hiccups, dropped connections, forced statuses...</summary>
    public ClusterFaults Faults { get; }

    /// <summary>The options the cluster was started with (defaults filled in).</summary>
    public InProcessClusterOptions Options => _model.Options;

    /// <summary>Current cluster map revision; bumped on every topology change.</summary>
    public long Revision
    {
        get { lock (_model.Sync) return _model.Rev; }
    }

    /// <summary>
    /// <c>couchbase://host:kv0,host:kv1,...</c>: every node's KV port, for CCCP bootstrap. Couchbase SDKs read
    /// a port without a suffix as a KV (memcached protocol) port.
    /// </summary>
    public string ConnectionString => "couchbase://" + string.Join(",", _model.Nodes.Select(n => $"{n.Host}:{n.KvPort}"));

    /// <summary>
    /// The same seeds with explicit bootstrap modes, <c>couchbase://host:kv0=mcd,host:mgmt0=http,...</c>
    /// (the form libcouchbase and older SDKs need for custom ports).
    /// </summary>
    public string ConnectionStringWithModes => "couchbase://" + string.Join(",",
        _model.Nodes.SelectMany(n => new[] { $"{n.Host}:{n.KvPort}=mcd", $"{n.Host}:{n.MgmtPort}=http" }));

    /// <summary>How many KV connections authenticated successfully, per SASL mechanism (e.g. <c>SCRAM-SHA512</c>).</summary>
    public IReadOnlyDictionary<string, int> SuccessfulAuthentications => new Dictionary<string, int>(_model.Authentications);

    /// <summary>The users the cluster accepts (user name to password).</summary>
    public IReadOnlyDictionary<string, string> Users => _model.Options.Users;

    /// <summary>The terse cluster map of <paramref name="bucket"/> as a node would serve it over HTTP.</summary>
    public string ConfigJson(string bucket)
    {
        lock (_model.Sync) return ConfigBuilder.ToJson(ConfigBuilder.Terse(_model, Bucket(bucket), null, placeholder: false));
    }

    /// <summary>Design documents of a bucket as rows for <c>/pools/default/buckets/{b}/ddocs</c>.</summary>
    private JArray DesignDocRows(string bucket) => new(DesignDocuments.List(bucket).Select(d => new JObject
    {
        ["doc"] = new JObject
        {
            ["meta"] = new JObject { ["id"] = d.Id, ["rev"] = d.Revision },
            ["json"] = JObject.Parse(d.Json),
        },
        ["controllers"] = new JObject
        {
            ["compact"] = $"/pools/default/buckets/{bucket}/ddocs/{Uri.EscapeDataString(d.Id)}/controller/compactView",
            ["setUpdateMinChanges"] = $"/pools/default/buckets/{bucket}/ddocs/{Uri.EscapeDataString(d.Id)}/controller/setUpdateMinChanges",
        },
    }));

    /// <summary>For memcached buckets: the node index ketama (spec §6.3) maps <paramref name="key"/> to; 0 otherwise.</summary>
    public int KetamaNodeFor(string bucket, string key)
    {
        lock (_model.Sync)
        {
            if (Bucket(bucket).Type != BucketType.Memcached) return 0;
            var nodes = _model.MapNodes();
            if (nodes.Count == 0) return 0;
            var i = Hashing.KetamaNode(System.Text.Encoding.UTF8.GetBytes(key), nodes.Select(n => n.KvEndpoint).ToList());
            return nodes[i].Index;
        }
    }

    internal void StartNode(InProcessNode node, NodePorts ports)
    {
        var rest = new ClusterRestHandler(_model, node, DesignDocRows, index => Faults.Failover(index));
        var runtime = NodeRuntime.Start(_model, node, ports, Tls, rest.HandleAsync, Views.HandleAsync);
        node.Runtime = runtime;
        node.KvPort = runtime.Kv.Port;
        node.MgmtPort = runtime.Mgmt.Port;
        node.ViewsPort = runtime.Views.Port;
        node.KvTlsPort = runtime.KvTls?.Port ?? 0;
        node.MgmtTlsPort = runtime.MgmtTls?.Port ?? 0;
        node.ViewsTlsPort = runtime.ViewsTls?.Port ?? 0;
        node.IsRunning = true;
    }

    internal async Task StopNodeAsync(InProcessNode node)
    {
        var runtime = node.Runtime;
        node.Runtime = null;
        node.IsRunning = false;
        if (runtime != null) await runtime.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops every node, closes every connection and deletes the TLS files.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        foreach (var node in _model.Nodes) await StopNodeAsync(node).ConfigureAwait(false);
        Tls.Delete();
    }
}
