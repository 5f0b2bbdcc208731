using Akka.Configuration;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;

namespace Akka.Couchbase.Tests.Settings;

/// <summary>
/// <c>akka.couchbase.tls.client-certificate</c>: a PEM certificate with its key or a PKCS#12 file is loaded with its
/// private key when the settings are read; a certificate without a password means certificate authentication (no
/// SASL); every mistake is an error naming the key and the file, and no password appears in any of them.
/// </summary>
public sealed class ClientCertificateSettingsSpec : IDisposable
{
    private const string Secret = "p12-password-never-shown";
    private readonly TestCertificates _ca = new("Client Settings CA");

    private static CouchbaseSettings Parse(string hocon) =>
        CouchbaseSettings.Create(ConfigurationFactory.ParseString(hocon));

    [Fact]
    public void A_pem_certificate_and_key_load_with_the_private_key_and_mean_certificate_authentication()
    {
        var (certificate, key, _) = _ca.Client("reporting", Secret);
        var settings = Parse($"username = reporting\ntls {{ enabled = on, client-certificate = \"{certificate}\", client-key = \"{key}\" }}");
        Assert.NotNull(settings.Tls.ClientCertificate);
        Assert.True(settings.Tls.ClientCertificate!.HasPrivateKey);
        Assert.Equal("CN=reporting", settings.Tls.ClientCertificate.Subject);
        Assert.True(settings.UsesCertificateAuth);
        Assert.Contains(certificate, settings.Tls.ToString());
    }

    [Fact]
    public void A_pkcs12_file_opens_with_its_password_and_a_password_for_sasl_turns_certificate_authentication_off()
    {
        var (_, _, pkcs12) = _ca.Client("ops", Secret);
        var settings = Parse($"username = ops\npassword = sasl-secret\ntls {{ enabled = on, client-certificate = \"{pkcs12}\", client-certificate-password = \"{Secret}\" }}");
        Assert.True(settings.Tls.ClientCertificate!.HasPrivateKey);
        Assert.False(settings.UsesCertificateAuth); // a password: SASL runs as well
        Assert.DoesNotContain(Secret, settings.ToString());
        Assert.DoesNotContain(Secret, settings.Tls.ToString());
    }

    [Fact]
    public void A_wrong_pkcs12_password_is_an_error_naming_the_file_and_not_the_password()
    {
        var (_, _, pkcs12) = _ca.Client("wrong", Secret);
        var e = Assert.Throws<ArgumentException>(() =>
            Parse($"tls {{ enabled = on, client-certificate = \"{pkcs12}\", client-certificate-password = \"not-it-123\" }}"));
        Assert.Contains("akka.couchbase.tls.client-certificate", e.Message);
        Assert.Contains(pkcs12, e.Message);
        Assert.DoesNotContain("not-it-123", e.Message);
        Assert.DoesNotContain(Secret, e.Message);
    }

    [Fact]
    public void A_pem_certificate_without_its_key_is_an_error_saying_where_the_key_goes()
    {
        var (certificate, _, _) = _ca.Client("nokey", Secret);
        var e = Assert.Throws<ArgumentException>(() => Parse($"tls {{ enabled = on, client-certificate = \"{certificate}\" }}"));
        Assert.Contains("no private key", e.Message);
        Assert.Contains("akka.couchbase.tls.client-key", e.Message);
    }

    [Fact]
    public void Missing_files_and_a_key_without_a_certificate_are_errors_naming_them()
    {
        var absent = Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}.pem");
        var e = Assert.Throws<ArgumentException>(() => Parse($"tls {{ enabled = on, client-certificate = \"{absent}\" }}"));
        Assert.Contains($"akka.couchbase.tls.client-certificate: no file '{absent}'", e.Message);

        var (certificate, _, _) = _ca.Client("k", Secret);
        e = Assert.Throws<ArgumentException>(() =>
            Parse($"tls {{ enabled = on, client-certificate = \"{certificate}\", client-key = \"{absent}\" }}"));
        Assert.Contains($"akka.couchbase.tls.client-key: no file '{absent}'", e.Message);

        e = Assert.Throws<ArgumentException>(() => Parse($"tls {{ enabled = on, client-key = \"{absent}\" }}"));
        Assert.Contains("client-key is set but akka.couchbase.tls.client-certificate is not", e.Message);
    }

    [Fact]
    public void A_client_certificate_without_tls_is_an_error()
    {
        var (certificate, key, _) = _ca.Client("plain", Secret);
        var e = Assert.Throws<ArgumentException>(() => Parse($"tls {{ client-certificate = \"{certificate}\", client-key = \"{key}\" }}"));
        Assert.Contains("needs akka.couchbase.tls.enabled = on", e.Message);
    }

    [Fact]
    public void Over_tls_seeds_and_the_cluster_manager_default_to_the_tls_ports()
    {
        var settings = Parse("servers = [\"db1\", \"db2:12000\"]\ntls.enabled = on");
        Assert.Equal(new[] { ("db1", 11207), ("db2", 12000) }, settings.Servers);
        Assert.Equal(new[] { ("db1", 18091), ("db2", 18091) }, settings.HttpBootstrapEndpoints);
        Assert.Equal(new[] { ("h", 18091) }, Parse("tls.enabled = on\nhttp-bootstrap.servers = [\"h\"]").HttpBootstrapServers);
        Assert.Equal(new[] { ("x", 11207) }, settings.WithServers("x").Servers);

        var plain = Parse("servers = [\"db1\"]");
        Assert.Equal(new[] { ("db1", 11210) }, plain.Servers);
        Assert.Equal(new[] { ("db1", 8091) }, plain.HttpBootstrapEndpoints);
        Assert.Equal(9000, Parse("servers = [\"db1\"]\ntls.enabled = on\nhttp-bootstrap.port = 9000").HttpBootstrapPort);
    }

    public void Dispose() => _ca.Dispose();
}
