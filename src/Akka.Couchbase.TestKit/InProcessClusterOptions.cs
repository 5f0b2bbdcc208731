using Akka.Couchbase.TestKit.Tls;

namespace Akka.Couchbase.TestKit;

// Bucket types are the client's own Akka.Couchbase.BucketType, so tests that import both namespaces see one enum.

/// <summary>One bucket of an <see cref="InProcessCluster"/>.</summary>
/// <param name="Name">Bucket name.</param>
/// <param name="Type">Bucket type.</param>
/// <param name="VBuckets">Number of vBuckets (a power of two; ignored for memcached buckets).</param>
/// <param name="Replicas">Number of replicas (0..3; ignored for memcached buckets).</param>
public sealed record BucketDefinition(string Name, BucketType Type = BucketType.Couchbase, int VBuckets = 64, int Replicas = 1);

/// <summary>Everything <see cref="InProcessCluster.StartAsync"/> needs to know.</summary>
public sealed class InProcessClusterOptions
{
    /// <summary>Number of nodes (default 1).</summary>
    public int Nodes { get; set; } = 1;

    /// <summary>Buckets; when empty a single Couchbase bucket <c>default</c> (64 vBuckets, 1 replica) is created.</summary>
    public List<BucketDefinition> Buckets { get; } = new();

    /// <summary>RBAC users and their passwords; when empty <c>Administrator</c>/<c>password</c> is created.</summary>
    public Dictionary<string, string> Users { get; } = new(StringComparer.Ordinal);

    /// <summary>Host name the nodes listen on and advertise (default 127.0.0.1).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>KV port of node 0; node i listens on base + i. 0 (default) = ephemeral ports.</summary>
    public int KvPortBase { get; set; }

    /// <summary>Cluster manager REST port of node 0; node i listens on base + i. 0 (default) = ephemeral.</summary>
    public int MgmtPortBase { get; set; }

    /// <summary>Views (CAPI) port of node 0; node i listens on base + i. 0 (default) = ephemeral.</summary>
    public int ViewsPortBase { get; set; }

    /// <summary>
    /// When true, every node also listens with TLS (1.2 and 1.3) for KV, cluster manager REST and views, next to the
    /// plain ports, as Couchbase Server does (11207, 18091, 18092 there); its certificates are signed by a CA made
    /// at start (<see cref="InProcessCluster.Tls"/>). Default false.
    /// </summary>
    public bool Tls { get; set; }

    /// <summary>KV TLS port of node 0; node i listens on base + i. 0 (default) = ephemeral. Only with <see cref="Tls"/>.</summary>
    public int KvTlsPortBase { get; set; }

    /// <summary>Cluster manager REST (HTTPS) port of node 0; node i listens on base + i. 0 (default) = ephemeral.</summary>
    public int MgmtTlsPortBase { get; set; }

    /// <summary>Views (CAPI, HTTPS) port of node 0; node i listens on base + i. 0 (default) = ephemeral.</summary>
    public int ViewsTlsPortBase { get; set; }

    /// <summary>
    /// Whether the TLS listeners ask for client certificates (X.509 authentication, subject CN = user name);
    /// default <see cref="ClientCertificateMode.Disabled"/>. Only with <see cref="Tls"/>.
    /// </summary>
    public ClientCertificateMode ClientCertificates { get; set; }

    /// <summary>SCRAM iteration count used for every user (default 4096, as Couchbase Server).</summary>
    public int ScramIterations { get; set; } = 4096;

    /// <summary>SASL mechanisms advertised, strongest first.</summary>
    public List<string> SaslMechanisms { get; } = new() { "SCRAM-SHA512", "SCRAM-SHA256", "SCRAM-SHA1", "PLAIN" };

    /// <summary>Start time of the cluster's <see cref="TestClock"/>; default: the real current time.</summary>
    public DateTimeOffset? ClockStart { get; set; }

    /// <summary>Maximum document value size in bytes (default 20 MiB); larger values get E2BIG.</summary>
    public int MaxValueSize { get; set; } = 20 * 1024 * 1024;

    /// <summary>Maximum frame body size in bytes (default 30 MiB); a larger frame closes the connection.</summary>
    public int MaxFrameBodySize { get; set; } = 30 * 1024 * 1024;

    /// <summary>Version string answered to VERSION and shown in REST (default 7.6.0-0000-enterprise).</summary>
    public string Version { get; set; } = "7.6.0-0000-enterprise";
}
