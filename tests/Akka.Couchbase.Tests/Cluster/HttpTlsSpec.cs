using Akka.Couchbase.TestKit;
using Akka.Couchbase.Transport;
using Xunit;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>
/// The client's HTTP connections (map stream, views) apply the KV connections' TLS rules: the cluster manager over
/// HTTPS answers when its CA is trusted, and a refusal says why in the same words as a KV connect failure.
/// </summary>
public sealed class HttpTlsSpec : IAsyncLifetime
{
    private InProcessCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions
    {
        Tls = true,
        Users = { ["app"] = "s3cret" },
    });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Uri Pools => new($"https://127.0.0.1:{_cluster.Nodes[0].MgmtTlsPort}/pools");

    private static TlsSettings Trusting(string caPath) => CouchbaseSettings.Create(Akka.Configuration.ConfigurationFactory.ParseString(
        $"tls {{ enabled = on, trusted-certificates = [\"{caPath}\"] }}")).Tls;

    [Fact]
    public async Task The_cluster_manager_answers_over_https_when_its_ca_is_trusted()
    {
        var tls = new HttpTls(Trusting(_cluster.Tls.CaCertificatePath));
        using var http = new HttpClient(tls.CreateHandler(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)));
        using var request = new HttpRequestMessage(HttpMethod.Get, Pools);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("app:s3cret")));
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}");
        Assert.Contains("\"pools\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_refused_certificate_is_explained_as_for_kv_connections()
    {
        var tls = new HttpTls(Trusting(_cluster.Tls.UnrelatedCaCertificatePath));
        using var http = new HttpClient(tls.CreateHandler(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)));
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(Pools));
        var explained = tls.Explain(e, Pools);
        Assert.Contains($"TLS handshake with 127.0.0.1:{_cluster.Nodes[0].MgmtTlsPort} failed", explained);
        Assert.Contains("untrusted root", explained);
        Assert.Contains(_cluster.Tls.UnrelatedCaCertificatePath, explained);
    }
}
