using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>
/// Mutual TLS against stock memcached that requires a client certificate signed by its CA
/// (<c>ssl_verify_mode=2</c>): the client presents a PEM certificate with its key, or a PKCS#12 file, and works;
/// without a certificate, or with one from another CA, it is refused with one clear failure.
/// </summary>
public sealed class ClientCertificateOnMemcachedSpec : IClassFixture<TlsMemcachedFixture>, IDisposable
{
    private const string Pkcs12Password = "p12-secret-do-not-log";
    private readonly TlsMemcachedFixture _server;
    private readonly ITestOutputHelper _output;
    private readonly MemcachedProcess? _mutual;

    public ClientCertificateOnMemcachedSpec(TlsMemcachedFixture server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
        if (!MemcachedProcess.SupportsTls) return;
        var (chain, key) = server.Ca.Localhost();
        _mutual = MemcachedProcess.WithMutualTls(chain, key, server.Ca.CaPath);
    }

    private MemcachedProcess Mutual => _mutual!;

    private StandaloneClient Client(string tls) => new(
        $"servers = [\"{Mutual.Address}\"]\nbucket-type = memcached\nconnect-timeout = 2s\n" +
        "reconnect-min-backoff = 200ms\nreconnect-max-backoff = 1s\n" +
        $"tls {{ enabled = on\ntrusted-certificates = [\"{_server.Ca.CaPath}\"]\n{tls} }}\n", _output);

    private static async Task RoundTrips(CouchbaseClient client)
    {
        await client.ConnectAsync(TimeSpan.FromSeconds(5));
        var key = $"mtls-{Guid.NewGuid():N}";
        Assert.Equal(KvOutcome.Success, (await client.UpsertAsync(key, "signed")).Outcome);
        Assert.Equal("signed", await client.GetAsync<string>(key));
    }

    [TlsFact]
    public async Task A_pem_certificate_and_key_signed_by_the_servers_ca_are_accepted()
    {
        var (certificate, key, _) = _server.Ca.Client("app", Pkcs12Password);
        using var spec = Client($"client-certificate = \"{certificate}\"\nclient-key = \"{key}\"\n");
        await RoundTrips(spec.Client);
    }

    [TlsFact]
    public async Task A_pkcs12_file_with_its_password_is_accepted()
    {
        var (_, _, pkcs12) = _server.Ca.Client("app12", Pkcs12Password);
        using var spec = Client($"client-certificate = \"{pkcs12}\"\nclient-certificate-password = \"{Pkcs12Password}\"\n");
        await RoundTrips(spec.Client);
        Assert.DoesNotContain(Pkcs12Password, spec.Client.Settings.ToString());
        Assert.DoesNotContain(Pkcs12Password, spec.Client.Settings.Tls.ToString());
    }

    [TlsFact]
    public async Task Without_a_client_certificate_the_server_refuses_and_the_client_says_why()
    {
        using var spec = Client("");
        var e = await Assert.ThrowsAnyAsync<CouchbaseException>(() => spec.Client.ConnectAsync(TimeSpan.FromSeconds(3)));
        _output.WriteLine(e.Message);
        Assert.Contains("client certificate", e.Message);
    }

    [TlsFact]
    public async Task A_certificate_from_another_ca_is_refused_and_the_client_says_why()
    {
        var (certificate, key, _) = _server.OtherCa.Client("stranger", Pkcs12Password);
        using var spec = Client($"client-certificate = \"{certificate}\"\nclient-key = \"{key}\"\n");
        var e = await Assert.ThrowsAnyAsync<CouchbaseException>(() => spec.Client.ConnectAsync(TimeSpan.FromSeconds(3)));
        _output.WriteLine(e.Message);
        Assert.Contains("client certificate", e.Message);
    }

    public void Dispose() => _mutual?.Dispose();
}
