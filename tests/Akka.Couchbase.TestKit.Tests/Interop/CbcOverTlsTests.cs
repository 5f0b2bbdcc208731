using System.Text;
using Akka.Couchbase.TestKit.Tests.Support;
using Akka.Couchbase.TestKit.Tls;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.TestKit.Tests.Interop;

/// <summary>
/// libcouchbase's <c>cbc</c> (a client no one here wrote) against a three-node cluster over <c>couchbases://</c>:
/// bootstrap on one node's KV TLS port, then every node through the <c>kvSSL</c> ports of the map.
/// </summary>
/// <remarks>
/// libcouchbase 3.3 takes the CA to trust from <c>truststorepath</c>; <c>certpath</c> alone is a client certificate
/// (with <c>keypath</c>) and leaves only its built-in Capella root trusted (<c>src/ssl/ssl_common.c</c>,
/// <c>lcbio_ssl_new</c>), so the connection strings here name the CA with <c>truststorepath</c>.
/// </remarks>
public sealed class CbcOverTlsTests : ClusterTestBase
{
    private readonly ITestOutputHelper _output;

    public CbcOverTlsTests(ITestOutputHelper output) => _output = output;

    protected override InProcessClusterOptions Options()
    {
        var o = base.Options();
        o.Tls = true;
        o.ClientCertificates = ClientCertificateMode.Enabled;
        return o;
    }

    private string Url(string trustStore, string? extra = null) =>
        $"couchbases://127.0.0.1:{Cluster.Nodes[0].KvTlsPort}/default?truststorepath={trustStore}" + (extra is null ? "" : "&" + extra);

    private async Task<(int ExitCode, string Output)> CbcAsync(params string[] arguments)
    {
        var result = await Libcouchbase.CbcAsync(arguments);
        _output.WriteLine($"cbc {string.Join(' ', arguments)} -> {result.ExitCode}\n{result.Output}");
        return result;
    }

    /// <summary>Keys whose active copies are on every node, so that cbc must use every node's kvSSL port.</summary>
    private List<string> KeysOnEveryNode() =>
        Enumerable.Range(0, 200).Select(i => $"cbc::tls::{i}").GroupBy(Owner).OrderBy(g => g.Key).Select(g => g.First()).ToList();

    [CbcFact]
    public async Task Create_cat_and_rm_over_tls_trusting_the_cluster_ca()
    {
        var keys = KeysOnEveryNode();
        Assert.Equal(3, keys.Count);
        var url = Url(Cluster.Tls.CaCertificatePath);
        foreach (var key in keys)
        {
            var (created, output) = await CbcAsync("create", key, "-V", "{\"via\":\"cbc-tls\"}", "-U", url, "-u", "Administrator", "-P", "password");
            Assert.True(created == 0, output);
            Assert.Equal("{\"via\":\"cbc-tls\"}", Encoding.UTF8.GetString(Default.Get(key)!.Value));
        }
        var (read, cat) = await CbcAsync(new[] { "cat" }.Concat(keys).Concat(new[] { "-U", url, "-u", "Administrator", "-P", "password" }).ToArray());
        Assert.True(read == 0, cat);
        Assert.Equal(3, cat.Split("{\"via\":\"cbc-tls\"}").Length - 1);
        var (removed, rm) = await CbcAsync(new[] { "rm" }.Concat(keys).Concat(new[] { "-U", url, "-u", "Administrator", "-P", "password" }).ToArray());
        Assert.True(removed == 0, rm);
        Assert.All(keys, key => Assert.Null(Default.Get(key)));
        Assert.True(Cluster.Tls.Handshakes.Kv >= 3, "cbc should have opened a TLS connection to every node: " + Cluster.Tls.Handshakes);
    }

    [CbcFact]
    public async Task Trusting_an_unrelated_ca_cbc_cannot_verify_the_nodes()
    {
        var (exit, output) = await CbcAsync("create", "cbc::refused", "-V", "x", "-U", Url(Cluster.Tls.UnrelatedCaCertificatePath),
            "-u", "Administrator", "-P", "password");
        Assert.NotEqual(0, exit);
        Assert.Contains("LCB_ERR_SSL_CANTVERIFY", output);
        Assert.Null(Default.Get("cbc::refused"));
        Assert.Empty(Cluster.SuccessfulAuthentications);
    }

    [CbcFact]
    public async Task A_client_certificate_authenticates_cbc_without_a_password()
    {
        var cert = Cluster.Tls.IssueClientCertificate("Administrator");
        var url = Url(Cluster.Tls.CaCertificatePath, $"certpath={cert.CertificatePath}&keypath={cert.PrivateKeyPath}");
        var (created, output) = await CbcAsync("create", "cbc::x509", "-V", "by-certificate", "-U", url);
        Assert.True(created == 0, output);
        var (read, cat) = await CbcAsync("cat", "cbc::x509", "-U", url);
        Assert.True(read == 0, cat);
        Assert.Contains("by-certificate", cat);
        Assert.True(Cluster.SuccessfulAuthentications.GetValueOrDefault("X.509") > 0);
        Assert.False(Cluster.SuccessfulAuthentications.ContainsKey("PLAIN"), "no SASL was needed");
    }
}
