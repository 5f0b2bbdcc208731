using Akka.Couchbase.TestKit;
using Akka.Couchbase.TestKit.Tls;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>
/// A Couchbase bucket over TLS on the in-process cluster, as a user of a TLS-only cluster or Capella would connect:
/// a <c>couchbases://</c> connection string and the cluster's CA. Every node of the map is reached at its kvSSL port,
/// client certificates authenticate without SASL, and each certificate problem fails with its cause named.
/// </summary>
public sealed class CouchbaseBucketOverTlsSpec : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private InProcessCluster _cluster = null!;

    public CouchbaseBucketOverTlsSpec(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync() => _cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions
    {
        Nodes = 3,
        Tls = true,
        ClientCertificates = ClientCertificateMode.Enabled,
        Buckets = { new BucketDefinition("default", BucketType.Couchbase, VBuckets: 64, Replicas: 1) },
        Users = { ["app"] = "s3cret" },
    });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    /// <summary>The connection string a user copies: the first node's TLS port only, the CA, the bucket.</summary>
    private string ConnectionString(string? ca = null) =>
        $"couchbases://127.0.0.1:{_cluster.Nodes[0].KvTlsPort}/default?certpath={ca ?? _cluster.Tls.CaCertificatePath}";

    private StandaloneClient Client(string hocon) => new(
        "connect-timeout = 2s\nreconnect-min-backoff = 100ms\nreconnect-max-backoff = 1s\n" + hocon, _output);

    [Fact]
    public async Task A_couchbases_connection_string_with_one_seed_reaches_every_node_at_its_tls_port()
    {
        using var spec = Client($"connection-string = \"{ConnectionString()}\"\nusername = app\npassword = s3cret\n");
        await spec.Client.ConnectAsync(TimeSpan.FromSeconds(10));

        var diagnostics = await spec.Client.DiagnosticsAsync();
        Assert.Equal(_cluster.Nodes.Select(n => $"127.0.0.1:{n.KvTlsPort}").OrderBy(a => a),
            diagnostics.Nodes.Select(n => n.Address).OrderBy(a => a));
        Assert.True(diagnostics.AllNodesConnected);

        var keys = Enumerable.Range(0, 90).Select(i => $"tls-doc::{i}").ToList();
        Assert.Equal(3, keys.Select(k => _cluster.Bucket("default").ActiveNodeOf(_cluster.Bucket("default").VBucketOf(k))).Distinct().Count());
        foreach (var key in keys) Assert.Equal(KvOutcome.Success, (await spec.Client.UpsertAsync(key, key)).Outcome);
        foreach (var key in keys) Assert.Equal(key, await spec.Client.GetAsync<string>(key));
    }

    [Fact]
    public async Task A_client_certificate_without_a_password_authenticates_without_sasl()
    {
        var certificate = _cluster.Tls.IssueClientCertificate("app");
        using var spec = Client($"connection-string = \"{ConnectionString()}\"\n" +
                                $"tls {{ client-certificate = \"{certificate.CertificatePath}\", client-key = \"{certificate.PrivateKeyPath}\" }}\n");
        Assert.True(spec.Client.Settings.UsesCertificateAuth);
        // No password is configured: had the client tried SASL, the nodes would have refused it.
        await spec.Client.ConnectAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(KvOutcome.Success, (await spec.Client.UpsertAsync("by-certificate", "ok")).Outcome);
        Assert.Equal("ok", await spec.Client.GetAsync<string>("by-certificate"));
    }

    [Fact]
    public async Task A_pkcs12_client_certificate_works_too()
    {
        var certificate = _cluster.Tls.IssueClientCertificate("app");
        using var spec = Client($"connection-string = \"{ConnectionString()}\"\n" +
                                $"tls {{ client-certificate = \"{certificate.Pkcs12Path}\", client-certificate-password = \"{certificate.Pkcs12Password}\" }}\n");
        await spec.Client.ConnectAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(KvOutcome.Success, (await spec.Client.UpsertAsync("by-pkcs12", "ok")).Outcome);
    }

    [Fact]
    public async Task A_client_certificate_from_another_ca_is_refused_and_the_failure_says_so()
    {
        var stranger = _cluster.Tls.IssueUntrustedClientCertificate("app");
        using var spec = Client($"connection-string = \"{ConnectionString()}\"\n" +
                                $"tls {{ client-certificate = \"{stranger.CertificatePath}\", client-key = \"{stranger.PrivateKeyPath}\" }}\n");
        var e = await Assert.ThrowsAnyAsync<CouchbaseException>(() => spec.Client.ConnectAsync(TimeSpan.FromSeconds(3)));
        _output.WriteLine(e.Message);
        Assert.Contains("client certificate", e.Message);
    }

    [Theory]
    [InlineData(CertificateKind.Expired, "expired")]
    [InlineData(CertificateKind.NotYetValid, "not yet valid")]
    [InlineData(CertificateKind.WrongHostName, "name mismatch")]
    [InlineData(CertificateKind.UntrustedIssuer, "untrusted root")]
    public async Task A_node_certificate_a_client_must_refuse_is_refused_naming_why_and_accepted_once_valid(
        CertificateKind kind, string reason)
    {
        _cluster.Tls.ServeCertificate(kind);
        using var spec = Client($"connection-string = \"{ConnectionString()}\"\nusername = app\npassword = s3cret\n");
        var e = await Assert.ThrowsAnyAsync<CouchbaseException>(() => spec.Client.ConnectAsync(TimeSpan.FromSeconds(3)));
        _output.WriteLine(e.Message);
        Assert.Contains(reason, e.Message);

        _cluster.Tls.ServeCertificate(CertificateKind.Valid);
        await spec.Client.ConnectAsync(TimeSpan.FromSeconds(10)); // the next reconnect gets the valid certificate
        Assert.Equal(KvOutcome.Success, (await spec.Client.UpsertAsync("after-renewal", "ok")).Outcome);
    }

    [Fact]
    public async Task A_wrong_ca_names_the_trusted_file_and_the_root_the_cluster_uses()
    {
        using var spec = Client($"connection-string = \"{ConnectionString(_cluster.Tls.UnrelatedCaCertificatePath)}\"\nusername = app\npassword = s3cret\n");
        var e = await Assert.ThrowsAnyAsync<CouchbaseException>(() => spec.Client.ConnectAsync(TimeSpan.FromSeconds(3)));
        _output.WriteLine(e.Message);
        Assert.Contains("untrusted root", e.Message);
        Assert.Contains(_cluster.Tls.UnrelatedCaCertificatePath, e.Message);
    }
}
