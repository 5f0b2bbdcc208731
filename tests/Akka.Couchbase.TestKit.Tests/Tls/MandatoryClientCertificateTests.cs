using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Tests.Support;
using Akka.Couchbase.TestKit.Tls;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Tls;

/// <summary>With <see cref="ClientCertificateMode.Mandatory"/> a client without a certificate is refused at the handshake.</summary>
public sealed class MandatoryClientCertificateTests : TlsClusterTestBase
{
    protected override InProcessClusterOptions Options()
    {
        var o = base.Options();
        o.ClientCertificates = ClientCertificateMode.Mandatory;
        return o;
    }

    [Fact]
    public async Task No_certificate_no_session()
    {
        await ClientCertificateTests.AssertRefusedAsync(Cluster.Nodes[1].KvTlsPort, Trusting());
        using var http = Trusting().HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"https://127.0.0.1:{Cluster.Nodes[1].MgmtTlsPort}/pools"));
    }

    [Fact]
    public async Task A_valid_certificate_still_gets_in()
    {
        var tls = new TlsClient(Cluster.Tls.CaCertificate) { ClientCertificate = Cluster.Tls.IssueClientCertificate("Administrator").Certificate };
        await using var c = await RawKvClient.ConnectTlsAsync(Cluster.Nodes[1].KvTlsPort, tls);
        Assert.Equal(KvStatus.Success, (await c.SelectBucketAsync("default")).Status);
    }

    [Fact]
    public async Task The_plain_ports_are_not_affected()
    {
        await using var c = await RawKvClient.ConnectBucketAsync(Cluster.Nodes[1].KvPort);
        Assert.Equal(KvStatus.Success, (await c.CallAsync(Opcode.Noop)).Status);
    }
}
