using System.Net;
using System.Security.Authentication;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Tests.Support;
using Akka.Couchbase.TestKit.Tls;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Tls;

/// <summary>
/// X.509 authentication with client certificates optional (<see cref="ClientCertificateMode.Enabled"/>): a certificate
/// from the cluster CA naming an existing user authenticates the session without SASL; anything else that is
/// presented is refused; without a certificate SASL works as usual.
/// </summary>
public sealed class ClientCertificateTests : TlsClusterTestBase
{
    protected override InProcessClusterOptions Options()
    {
        var o = base.Options();
        o.ClientCertificates = ClientCertificateMode.Enabled;
        o.Users["reader"] = "reader-password";
        return o;
    }

    private TlsClient Presenting(ClientCertificateFiles files) =>
        new(Cluster.Tls.CaCertificate) { ClientCertificate = files.Certificate };

    [Fact]
    public async Task A_certificate_for_an_existing_user_authenticates_kv_without_sasl()
    {
        var cert = Cluster.Tls.IssueClientCertificate("Administrator");
        var key = "x509::doc";
        await using var c = await RawKvClient.ConnectTlsAsync(Cluster.Nodes[Owner(key)].KvTlsPort, Presenting(cert));
        await c.HelloAsync(HelloFeature.XError, HelloFeature.Json, HelloFeature.SelectBucket);
        Assert.Equal(KvStatus.Success, (await c.SelectBucketAsync("default")).Status);
        Assert.Equal(KvStatus.Success, (await c.SetAsync(key, "{\"by\":\"certificate\"}", Vb(key))).Status);
        Assert.Equal("{\"by\":\"certificate\"}", Text((await c.GetAsync(key, Vb(key))).Value));
        Assert.Equal(1, Cluster.SuccessfulAuthentications["X.509"]);
        Assert.False(Cluster.SuccessfulAuthentications.ContainsKey("PLAIN"));
    }

    [Fact]
    public async Task Without_a_certificate_the_session_must_authenticate_with_sasl()
    {
        await using var c = await RawKvClient.ConnectTlsAsync(Cluster.Nodes[0].KvTlsPort, Trusting());
        await c.HelloAsync(HelloFeature.XError, HelloFeature.SelectBucket);
        Assert.Equal(KvStatus.NoAccess, (await c.SelectBucketAsync("default")).Status);
        Assert.Equal(KvStatus.Success, (await c.PlainAsync("reader", "reader-password")).Status);
        Assert.Equal(KvStatus.Success, (await c.SelectBucketAsync("default")).Status);
    }

    [Fact]
    public async Task A_certificate_for_an_unknown_user_is_refused()
    {
        var cert = Cluster.Tls.IssueClientCertificate("nobody");
        await AssertRefusedAsync(Presenting(cert));
        Assert.False(Cluster.SuccessfulAuthentications.ContainsKey("X.509"));
    }

    [Fact]
    public async Task A_certificate_not_signed_by_the_cluster_ca_is_refused()
    {
        var cert = Cluster.Tls.IssueUntrustedClientCertificate("Administrator");
        await AssertRefusedAsync(Presenting(cert));
    }

    [Fact]
    public async Task Rest_over_https_is_authenticated_by_the_certificate()
    {
        using var withCert = Presenting(Cluster.Tls.IssueClientCertificate("reader")).HttpClient();
        var pool = JObject.Parse(await withCert.GetStringAsync($"https://127.0.0.1:{Cluster.Nodes[0].MgmtTlsPort}/pools/default"));
        Assert.Equal(3, ((JArray)pool["nodes"]!).Count);
        using var without = Trusting().HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await without.GetAsync($"https://127.0.0.1:{Cluster.Nodes[0].MgmtTlsPort}/pools/default")).StatusCode);
    }

    [Fact]
    public void The_issued_files_hold_the_certificate_its_key_and_a_pkcs12()
    {
        var files = Cluster.Tls.IssueClientCertificate("reader");
        Assert.Equal("CN=reader", files.Certificate.Subject);
        Assert.Equal(Cluster.Tls.CaCertificate.Subject, files.Certificate.Issuer);
        var fromPem = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(files.CertificatePath, files.PrivateKeyPath);
        Assert.True(fromPem.HasPrivateKey);
        Assert.Equal(files.Certificate.Thumbprint, fromPem.Thumbprint);
        var fromP12 = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(files.Pkcs12Path, files.Pkcs12Password);
        Assert.True(fromP12.HasPrivateKey);
        Assert.Equal(files.Certificate.Thumbprint, fromP12.Thumbprint);
        Assert.StartsWith(Cluster.Tls.Directory, files.Pkcs12Path);
    }

    /// <summary>
    /// Refused as the server refuses: the handshake fails, or (TLS 1.3, where the client's part of the handshake is
    /// over before the server has judged its certificate) the connection closes before the first reply.
    /// </summary>
    internal static async Task AssertRefusedAsync(int port, TlsClient tls)
    {
        RawKvClient c;
        try
        {
            c = await RawKvClient.ConnectTlsAsync(port, tls);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return;
        }
        await using (c)
        {
            Frame? reply;
            try
            {
                await c.SendAsync(FrameWriter.Request(Opcode.Noop, c.NextOpaque(), default, default, default));
                reply = await c.ReadAsync();
            }
            catch (IOException)
            {
                return;
            }
            Assert.Null(reply);
        }
    }

    private Task AssertRefusedAsync(TlsClient tls) => AssertRefusedAsync(Cluster.Nodes[0].KvTlsPort, tls);
}
