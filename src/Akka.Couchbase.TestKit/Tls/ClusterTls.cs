using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Couchbase.TestKit.Cluster;

namespace Akka.Couchbase.TestKit.Tls;

/// <summary>
/// The TLS side of an <see cref="InProcessCluster"/> started with <see cref="InProcessClusterOptions.Tls"/>: the CA
/// the nodes' certificates are signed by (a file to give clients as their trust store), the certificate the nodes
/// present (switchable to broken ones on command), and client certificates for X.509 authentication.
/// </summary>
/// <remarks>
/// Everything here is made at start: no system store is read or written. The files live in a temporary directory
/// (<see cref="Directory"/>) deleted when the cluster is disposed. When TLS is off every member but
/// <see cref="IsEnabled"/> throws <see cref="InvalidOperationException"/>.
/// </remarks>
public sealed class ClusterTls
{
    private readonly ClusterModel? _model;
    private readonly CertificateAuthority? _ca;
    private readonly Lazy<CertificateAuthority>? _untrusted;
    private readonly Lazy<string>? _untrustedPath;
    private readonly ConcurrentDictionary<(int Node, CertificateKind Kind), SslStreamCertificateContext> _served = new();
    private readonly string? _directory;
    private readonly string? _caPath;
    private readonly string? _caPem;
    private int _kind;
    private int _issued;
    private readonly int[] _handshakes = new int[3];
    private int _failedHandshakes;

    private ClusterTls() { }

    private ClusterTls(ClusterModel model)
    {
        _model = model;
        _directory = System.IO.Directory.CreateTempSubdirectory("akka-couchbase-testkit-tls-").FullName;
        _ca = CertificateAuthority.Create("Akka.Couchbase.TestKit cluster CA " + model.Uuid[..8]);
        _caPem = _ca.Certificate.ExportCertificatePem() + "\n";
        _caPath = Path.Combine(_directory, "ca.pem");
        File.WriteAllText(_caPath, _caPem);
        _untrusted = new Lazy<CertificateAuthority>(() => CertificateAuthority.Create("Akka.Couchbase.TestKit unrelated CA"));
        _untrustedPath = new Lazy<string>(() =>
        {
            var path = Path.Combine(_directory, "unrelated-ca.pem");
            File.WriteAllText(path, _untrusted.Value.Certificate.ExportCertificatePem() + "\n");
            return path;
        });
    }

    internal static ClusterTls Disabled { get; } = new();

    internal static ClusterTls Start(ClusterModel model) => new(model);

    /// <summary>True when the cluster was started with <see cref="InProcessClusterOptions.Tls"/>.</summary>
    public bool IsEnabled => _model != null;

    /// <summary>The temporary directory holding the CA file and issued client certificates.</summary>
    public string Directory => _directory ?? throw Off();

    /// <summary>Path of the cluster CA certificate as a PEM file (a client's trust store / <c>certpath</c>).</summary>
    public string CaCertificatePath => _caPath ?? throw Off();

    /// <summary>The cluster CA certificate, PEM-encoded (<c>-----BEGIN CERTIFICATE-----</c>...).</summary>
    public string CaCertificatePem => _caPem ?? throw Off();

    /// <summary>The cluster CA certificate (public part only).</summary>
    public X509Certificate2 CaCertificate => Ca.Certificate;

    /// <summary>
    /// Path of the PEM file of a second CA that signed nothing the cluster serves: a client given it as its only trust
    /// root must refuse every node.
    /// </summary>
    public string UnrelatedCaCertificatePath => (_untrustedPath ?? throw Off()).Value;

    /// <summary>Whether the TLS listeners ask for client certificates (<see cref="InProcessClusterOptions.ClientCertificates"/>).</summary>
    public ClientCertificateMode ClientCertificates => Model.Options.ClientCertificates;

    /// <summary>The certificate kind new TLS connections are served (<see cref="CertificateKind.Valid"/> at start).</summary>
    public CertificateKind ServedCertificate => (CertificateKind)Volatile.Read(ref _kind);

    /// <summary>
    /// <c>couchbases://host:kvTls0,host:kvTls1,...</c>: every node's KV TLS port. Give clients the CA
    /// (<see cref="CaCertificatePath"/>) to trust.
    /// </summary>
    public string ConnectionString => "couchbases://" + string.Join(",", Model.Nodes.Select(n => $"{n.Host}:{n.KvTlsPort}"));

    /// <summary>TLS handshakes completed per service, and failed ones, on every node since start.</summary>
    public TlsHandshakeCounts Handshakes
    {
        get
        {
            _ = Model;
            return new TlsHandshakeCounts(Volatile.Read(ref _handshakes[(int)TlsService.Kv]),
                Volatile.Read(ref _handshakes[(int)TlsService.Mgmt]), Volatile.Read(ref _handshakes[(int)TlsService.Views]),
                Volatile.Read(ref _failedHandshakes));
        }
    }

    internal void CountHandshake(TlsService service) => Interlocked.Increment(ref _handshakes[(int)service]);

    internal void CountFailedHandshake() => Interlocked.Increment(ref _failedHandshakes);

    /// <summary>
    /// Makes every node present a certificate of <paramref name="kind"/> to the TLS connections opened from now on
    /// (KV, REST and views); connections already open keep theirs. <see cref="CertificateKind.Valid"/> restores the
    /// normal one.
    /// </summary>
    public void ServeCertificate(CertificateKind kind)
    {
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind));
        _ = Model;
        Volatile.Write(ref _kind, (int)kind);
    }

    /// <summary>
    /// Issues a client certificate for <paramref name="user"/> signed by the cluster CA (subject CN = user). With
    /// <see cref="ClientCertificateMode.Enabled"/> or <see cref="ClientCertificateMode.Mandatory"/>, a connection that
    /// presents it is authenticated as that user (KV without SASL, REST without Basic auth) when the user exists.
    /// </summary>
    public ClientCertificateFiles IssueClientCertificate(string user) => Issue(Ca, user, "client");

    /// <summary>
    /// Issues a client certificate for <paramref name="user"/> signed by an unrelated CA the cluster does not trust:
    /// the nodes refuse a handshake that presents it.
    /// </summary>
    public ClientCertificateFiles IssueUntrustedClientCertificate(string user) =>
        Issue((_untrusted ?? throw Off()).Value, user, "untrusted");

    private ClientCertificateFiles Issue(CertificateAuthority issuer, string user, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        var certificate = issuer.IssueClient(user);
        var n = Interlocked.Increment(ref _issued);
        var stem = Path.Combine(Directory, $"{prefix}-{n}");
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        File.WriteAllText(stem + ".pem", certificate.ExportCertificatePem() + "\n");
        using (var key = certificate.GetECDsaPrivateKey()!)
            File.WriteAllText(stem + ".key", key.ExportPkcs8PrivateKeyPem() + "\n");
        File.WriteAllBytes(stem + ".p12", certificate.Export(X509ContentType.Pkcs12, password));
        return new ClientCertificateFiles(user, certificate, stem + ".pem", stem + ".key", stem + ".p12", password);
    }

    /// <summary>What <paramref name="node"/> presents to a handshake starting now.</summary>
    internal SslStreamCertificateContext ServerCertificateFor(InProcessNode node) =>
        _served.GetOrAdd((node.Index, ServedCertificate), key => CreateContext(node.Host, key.Kind));

    private SslStreamCertificateContext CreateContext(string host, CertificateKind kind)
    {
        var now = DateTimeOffset.UtcNow;
        var issuer = kind == CertificateKind.UntrustedIssuer ? _untrusted!.Value : Ca;
        var certificate = kind switch
        {
            CertificateKind.Expired => issuer.IssueServer(host, now.AddDays(-30), now.AddDays(-1)),
            CertificateKind.NotYetValid => issuer.IssueServer(host, now.AddDays(1), now.AddDays(30)),
            CertificateKind.WrongHostName => issuer.IssueServer("wrong-host.invalid", now.AddDays(-1), now.AddYears(1)),
            _ => issuer.IssueServer(host, now.AddDays(-1), now.AddYears(1)),
        };
        return SslStreamCertificateContext.Create(certificate, new X509Certificate2Collection(issuer.Certificate), offline: true);
    }

    /// <summary>
    /// The user a client certificate authenticates: the chain must end at the cluster CA and the subject CN must name
    /// an existing user; null otherwise.
    /// </summary>
    internal string? UserOf(X509Certificate certificate)
    {
        using var presented = CertificateLoading.Load(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        if (!chain.Build(presented)) return null;
        var user = presented.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return user.Length > 0 && Model.Credentials.Exists(user) ? user : null;
    }

    /// <summary>Deletes the temporary directory and the keys held in memory.</summary>
    internal void Delete()
    {
        if (_model is null) return;
        _ca!.Dispose();
        if (_untrusted!.IsValueCreated) _untrusted.Value.Dispose();
        try
        {
            System.IO.Directory.Delete(_directory!, recursive: true);
        }
        catch (IOException)
        {
            // a file still open elsewhere: the temporary directory is left to the system
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private ClusterModel Model => _model ?? throw Off();

    private CertificateAuthority Ca => _ca ?? throw Off();

    private static InvalidOperationException Off() =>
        new("TLS is off for this cluster: start it with InProcessClusterOptions.Tls = true");
}
