using System.Security.Cryptography.X509Certificates;
using Akka.Couchbase.TestKit.Tls;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Tls;

/// <summary>What <c>cluster.Tls</c> holds, where its files live and when they go; a cluster without TLS has none of it.</summary>
public sealed class ClusterTlsLifecycleTests
{
    [Fact]
    public async Task The_ca_is_written_as_pem_and_deleted_with_the_cluster()
    {
        string directory, caPath;
        await using (var cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions { Tls = true }))
        {
            directory = cluster.Tls.Directory;
            caPath = cluster.Tls.CaCertificatePath;
            Assert.StartsWith(directory, caPath);
            Assert.Equal(cluster.Tls.CaCertificatePem, File.ReadAllText(caPath));
            var fromFile = X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
            Assert.Equal(cluster.Tls.CaCertificate.Thumbprint, fromFile.Thumbprint);
            Assert.True(fromFile.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
            Assert.False(cluster.Tls.CaCertificate.HasPrivateKey);
            Assert.True(File.Exists(cluster.Tls.UnrelatedCaCertificatePath));
            Assert.NotEqual(cluster.Tls.CaCertificatePem, File.ReadAllText(cluster.Tls.UnrelatedCaCertificatePath));
            Assert.Equal($"couchbases://127.0.0.1:{cluster.Nodes[0].KvTlsPort}", cluster.Tls.ConnectionString);
        }
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task Without_tls_there_are_no_tls_ports_and_the_maps_do_not_mention_them()
    {
        await using var cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions { Nodes = 2 });
        Assert.False(cluster.Tls.IsEnabled);
        Assert.All(cluster.Nodes, n => Assert.Equal((0, 0, 0), (n.KvTlsPort, n.MgmtTlsPort, n.ViewsTlsPort)));
        var services = (JObject)JObject.Parse(cluster.ConfigJson("default"))["nodesExt"]![0]!["services"]!;
        Assert.Equal(new[] { "mgmt", "kv", "capi" }, services.Properties().Select(p => p.Name));
        Assert.Throws<InvalidOperationException>(() => cluster.Tls.CaCertificatePath);
        Assert.Throws<InvalidOperationException>(() => cluster.Tls.ServeCertificate(CertificateKind.Expired));
        Assert.Throws<InvalidOperationException>(() => cluster.Tls.IssueClientCertificate("Administrator"));
    }

    [Fact]
    public async Task Client_certificates_need_tls()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => InProcessCluster.StartAsync(
            new InProcessClusterOptions { ClientCertificates = ClientCertificateMode.Enabled }));
    }

    [Fact]
    public async Task Fixed_tls_port_bases_give_node_i_base_plus_i()
    {
        var kvBase = FreePortBlock();
        await using var cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions
        {
            Nodes = 2, Tls = true, KvTlsPortBase = kvBase, MgmtTlsPortBase = kvBase + 2, ViewsTlsPortBase = kvBase + 4,
        });
        Assert.Equal(new[] { kvBase, kvBase + 1 }, cluster.Nodes.Select(n => n.KvTlsPort));
        Assert.Equal(new[] { kvBase + 2, kvBase + 3 }, cluster.Nodes.Select(n => n.MgmtTlsPort));
        Assert.Equal(new[] { kvBase + 4, kvBase + 5 }, cluster.Nodes.Select(n => n.ViewsTlsPort));
    }

    /// <summary>The first of six consecutive ports that were free a moment ago (bound and released).</summary>
    private static int FreePortBlock()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var first = Random.Shared.Next(20000, 30000);
            var sockets = new List<System.Net.Sockets.Socket>();
            try
            {
                for (var i = 0; i < 6; i++)
                {
                    var s = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                    sockets.Add(s);
                    s.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, first + i));
                }
                return first;
            }
            catch (System.Net.Sockets.SocketException)
            {
            }
            finally
            {
                foreach (var s in sockets) s.Dispose();
            }
        }
        throw new InvalidOperationException("no six consecutive free ports found");
    }
}
