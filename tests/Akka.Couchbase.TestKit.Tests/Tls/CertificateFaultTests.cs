using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Tests.Support;
using Akka.Couchbase.TestKit.Tls;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Tls;

/// <summary>
/// <c>cluster.Tls.ServeCertificate(kind)</c>: new TLS connections on every node and port get a certificate a strict
/// client refuses, for the reason the kind names; connections already open keep theirs; Valid restores the good one.
/// </summary>
public sealed class CertificateFaultTests : TlsClusterTestBase
{
    private async Task<TlsClient> RefusedAsync(int port)
    {
        var tls = Trusting();
        await Assert.ThrowsAsync<AuthenticationException>(() => RawKvClient.ConnectTlsAsync(port, tls));
        return tls;
    }

    [Fact]
    public async Task An_expired_certificate_is_refused_as_not_time_valid()
    {
        Cluster.Tls.ServeCertificate(CertificateKind.Expired);
        var tls = await RefusedAsync(Cluster.Nodes[1].KvTlsPort);
        Assert.Equal(SslPolicyErrors.RemoteCertificateChainErrors, tls.SeenErrors);
        Assert.True(tls.SeenChainStatus.HasFlag(X509ChainStatusFlags.NotTimeValid), "chain status: " + tls.SeenChainStatus);
        Assert.True(tls.SeenServerCertificate!.NotAfter < DateTime.Now);
    }

    [Fact]
    public async Task A_not_yet_valid_certificate_is_refused_as_not_time_valid()
    {
        Cluster.Tls.ServeCertificate(CertificateKind.NotYetValid);
        var tls = await RefusedAsync(Cluster.Nodes[0].KvTlsPort);
        Assert.True(tls.SeenChainStatus.HasFlag(X509ChainStatusFlags.NotTimeValid), "chain status: " + tls.SeenChainStatus);
    }

    [Fact]
    public async Task A_certificate_for_another_host_is_refused_as_a_name_mismatch()
    {
        Cluster.Tls.ServeCertificate(CertificateKind.WrongHostName);
        var tls = await RefusedAsync(Cluster.Nodes[2].KvTlsPort);
        Assert.Equal(SslPolicyErrors.RemoteCertificateNameMismatch, tls.SeenErrors); // the chain itself is good
    }

    [Fact]
    public async Task A_certificate_from_an_unknown_issuer_is_refused_as_a_chain_error()
    {
        Cluster.Tls.ServeCertificate(CertificateKind.UntrustedIssuer);
        var tls = await RefusedAsync(Cluster.Nodes[0].KvTlsPort);
        Assert.Equal(SslPolicyErrors.RemoteCertificateChainErrors, tls.SeenErrors);
        Assert.False(tls.SeenChainStatus.HasFlag(X509ChainStatusFlags.NotTimeValid));
    }

    [Fact]
    public async Task Https_ports_serve_the_faulty_certificate_too()
    {
        Cluster.Tls.ServeCertificate(CertificateKind.Expired);
        var tls = Trusting();
        using var http = tls.HttpClient();
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"https://127.0.0.1:{Cluster.Nodes[0].MgmtTlsPort}/pools"));
        Assert.IsType<AuthenticationException>(e.InnerException);
        Assert.True(tls.SeenChainStatus.HasFlag(X509ChainStatusFlags.NotTimeValid));
        var views = Trusting();
        using var viewsHttp = views.HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => viewsHttp.GetAsync($"https://127.0.0.1:{Cluster.Nodes[0].ViewsTlsPort}/"));
        Assert.True(views.SeenChainStatus.HasFlag(X509ChainStatusFlags.NotTimeValid));
    }

    [Fact]
    public async Task Open_connections_keep_working_and_valid_restores_new_ones()
    {
        await using var before = await TlsBucketAsync(0);
        Cluster.Tls.ServeCertificate(CertificateKind.WrongHostName);
        Assert.Equal(CertificateKind.WrongHostName, Cluster.Tls.ServedCertificate);
        await RefusedAsync(Cluster.Nodes[0].KvTlsPort);
        Assert.Equal(KvStatus.Success, (await before.CallAsync(Opcode.Noop)).Status);

        Cluster.Tls.ServeCertificate(CertificateKind.Valid);
        await using var after = await TlsBucketAsync(0);
        Assert.Equal(KvStatus.Success, (await after.CallAsync(Opcode.Noop)).Status);
    }
}
