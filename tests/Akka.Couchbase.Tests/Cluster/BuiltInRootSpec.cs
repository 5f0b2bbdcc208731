using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Configuration;
using Akka.Couchbase.TestKit;
using Akka.Couchbase.Transport;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>
/// Couchbase Capella's root CA is built in and trusted besides the system store when no trusted certificates are
/// given, as the Couchbase SDKs do; <c>tls.trust-capella-root = off</c> leaves the system store alone, and trusted
/// certificates replace both. Capella's key is not ours, so the connecting cases stand the in-process cluster's CA
/// in for the built-in root.
/// </summary>
public sealed class BuiltInRootSpec : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private InProcessCluster _cluster = null!;

    public BuiltInRootSpec(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync() => _cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions
    {
        Nodes = 1,
        Tls = true,
        Buckets = { new BucketDefinition("default", BucketType.Couchbase, VBuckets: 64, Replicas: 0) },
        Users = { ["app"] = "s3cret" },
    });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public void The_built_in_root_is_Capellas_CA()
    {
        var root = Assert.Single(CapellaRootCa.Certificates);
        Assert.Equal("OU=Cloud, O=Couchbase", root.Subject);
        Assert.Equal(root.Subject, root.Issuer);
        Assert.Equal(new DateTime(2029, 12, 6, 23, 12, 59, DateTimeKind.Utc), root.NotAfter.ToUniversalTime());
        Assert.True(root.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal("D0937E9C934B2DAB94ED7A4B91C548E79EECCA992B27AB6D2620807E68657C0E",
            Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(root.RawData)));
    }

    [Fact]
    public void It_is_on_by_default_and_off_with_trust_capella_root_off()
    {
        Assert.True(Settings("").Tls.TrustCapellaRoot);
        Assert.Same(CapellaRootCa.Certificates, Settings("").Tls.BuiltInRoots);
        Assert.False(Settings("tls.trust-capella-root = off").Tls.TrustCapellaRoot);
        Assert.Empty(Settings("tls.trust-capella-root = off").Tls.BuiltInRoots);
    }

    [Fact]
    public async Task A_cluster_whose_root_is_built_in_is_trusted_without_trusted_certificates()
    {
        var ca = ClusterCa();
        var settings = Settings("");
        await using var client = await Connect(settings with { Tls = settings.Tls with { BuiltInRoots = new[] { ca } } });
        Assert.Equal(KvOutcome.Success, (await client.Client.UpsertAsync("via-built-in-root", "ok")).Outcome);
    }

    [Fact]
    public async Task Without_the_root_built_in_the_failure_names_the_stores_it_tried()
    {
        await using (var capella = await Connect(Settings(""), expectFailure: true))
            Assert.Contains("among the system's trust store and Couchbase Capella's root CA", capella.Failure);
        await using (var off = await Connect(Settings("tls.trust-capella-root = off"), expectFailure: true))
        {
            Assert.Contains("untrusted root", off.Failure);
            Assert.DoesNotContain("Capella", off.Failure);
        }
    }

    [Fact]
    public async Task Trusted_certificates_replace_the_built_in_root()
    {
        // The built-in root would accept the cluster, but the configured CA is another: only that one counts.
        var ca = ClusterCa();
        var settings = Settings($"tls.trusted-certificates = [\"{_cluster.Tls.UnrelatedCaCertificatePath}\"]");
        await using var client = await Connect(settings with { Tls = settings.Tls with { BuiltInRoots = new[] { ca } } },
            expectFailure: true);
        Assert.Contains("untrusted root", client.Failure);
    }

    private X509Certificate2 ClusterCa()
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(_cluster.Tls.CaCertificatePath);
        return certificates[0];
    }

    private CouchbaseSettings Settings(string tls) => CouchbaseSettings.Create(ConfigurationFactory.ParseString(
        $"servers = [\"127.0.0.1:{_cluster.Nodes[0].KvTlsPort}\"]\nbucket = default\nusername = app\npassword = s3cret\n" +
        $"connect-timeout = 2s\nreconnect-min-backoff = 100ms\nreconnect-max-backoff = 1s\ntls.enabled = on\n{tls}"));

    private async Task<Connected> Connect(CouchbaseSettings settings, bool expectFailure = false)
    {
        var system = ActorSystem.Create("built-in-root", "akka.loglevel = WARNING");
        var client = CouchbaseExtension.Get(system).CreateClient(settings, "tls");
        string? failure = null;
        try
        {
            await client.ConnectAsync(TimeSpan.FromSeconds(expectFailure ? 3 : 10));
            Assert.False(expectFailure, "the connection should have been refused");
        }
        catch (CouchbaseException e) when (expectFailure)
        {
            failure = e.Message;
            _output.WriteLine(failure);
        }
        return new Connected(system, client, failure ?? "");
    }

    private sealed record Connected(ActorSystem System, CouchbaseClient Client, string Failure) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await System.Terminate();
    }
}
