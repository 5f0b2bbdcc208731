using System.Security.Authentication;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Tests.Support;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Tls;

/// <summary>The KV TLS port speaks the same memcached binary protocol as the plain one, inside TLS 1.2 or 1.3.</summary>
public sealed class KvOverTlsTests : TlsClusterTestBase
{
    [Fact]
    public async Task Hello_scram_select_set_and_get_over_tls()
    {
        var key = "tls::doc";
        await using var c = await RawKvClient.ConnectTlsAsync(Cluster.Nodes[Owner(key)].KvTlsPort, Trusting());
        var acked = await c.HelloAsync(HelloFeature.XError, HelloFeature.Json, HelloFeature.SelectBucket);
        Assert.Contains((ushort)HelloFeature.SelectBucket, acked);
        var (final, signatureValid) = await c.ScramAsync("SCRAM-SHA512", "Administrator", "password");
        Assert.Equal(KvStatus.Success, final.Status);
        Assert.True(signatureValid);
        Assert.Equal(KvStatus.Success, (await c.SelectBucketAsync("default")).Status);

        var set = await c.SetAsync(key, "{\"over\":\"tls\"}", Vb(key));
        Assert.Equal(KvStatus.Success, set.Status);
        var get = await c.GetAsync(key, Vb(key));
        Assert.Equal(KvStatus.Success, get.Status);
        Assert.Equal("{\"over\":\"tls\"}", Text(get.Value));
        Assert.Equal(set.Cas, get.Cas);
        // one store behind both ports: the plain port sees what TLS wrote
        await using var plain = await ToOwnerAsync(key);
        Assert.Equal("{\"over\":\"tls\"}", Text((await plain.GetAsync(key, Vb(key))).Value));
    }

    [Fact]
    public async Task Plain_sasl_over_tls_as_sdks_do_it()
    {
        await using var c = await TlsBucketAsync(0);
        var noop = await c.CallAsync(Opcode.Noop);
        Assert.Equal(KvStatus.Success, noop.Status);
        Assert.True(Cluster.SuccessfulAuthentications.GetValueOrDefault("PLAIN") >= 1);
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task Tls_1_2_and_1_3_are_both_served(SslProtocols protocol)
    {
        await using var c = await RawKvClient.ConnectTlsAsync(Cluster.Nodes[0].KvTlsPort,
            new TlsClient(Cluster.Tls.CaCertificate) { Protocols = protocol });
        Assert.Equal(protocol, c.TlsProtocol);
        Assert.Equal(KvStatus.Success, (await c.CallAsync(Opcode.Noop)).Status);
    }

    [Fact]
    public async Task Every_node_has_its_own_tls_ports_and_a_certificate_naming_its_host()
    {
        var ports = Cluster.Nodes.SelectMany(n => new[] { n.KvPort, n.MgmtPort, n.ViewsPort, n.KvTlsPort, n.MgmtTlsPort, n.ViewsTlsPort }).ToList();
        Assert.DoesNotContain(0, ports);
        Assert.Equal(ports.Count, ports.Distinct().Count());
        var tls = Trusting();
        await using var c = await RawKvClient.ConnectTlsAsync(Cluster.Nodes[2].KvTlsPort, tls);
        var san = tls.SeenServerCertificate!.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(System.Net.IPAddress.Loopback, san.EnumerateIPAddresses().Single());
        Assert.Equal(Cluster.Tls.CaCertificate.SubjectName.Name, tls.SeenServerCertificate.IssuerName.Name);
    }

    [Fact]
    public async Task A_plain_client_on_the_tls_port_gets_no_frames()
    {
        // the server reads the request's bytes as a broken TLS record and closes (at most after a TLS alert)
        await using var c = await RawKvClient.ConnectAsync(Cluster.Nodes[0].KvTlsPort);
        await c.SendAsync(FrameWriter.Request(Opcode.Noop, 1, default, default, default));
        var reply = await c.ReadToEndAsync();
        Assert.NotEqual(Magic.Response, reply.FirstOrDefault());
        Assert.True(reply.Length < Frame.HeaderSize, "the server answered with " + reply.Length + " bytes");
    }
}
