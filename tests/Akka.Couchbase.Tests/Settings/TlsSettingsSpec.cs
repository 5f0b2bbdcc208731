using Akka.Configuration;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;

namespace Akka.Couchbase.Tests.Settings;

/// <summary>
/// <c>akka.couchbase.tls</c>: off by default; trusted CA files are read when the settings are, and a file that
/// cannot be used is an error naming the key and the path.
/// </summary>
public sealed class TlsSettingsSpec
{
    private static CouchbaseSettings Parse(string hocon) =>
        CouchbaseSettings.Create(ConfigurationFactory.ParseString(hocon));

    [Fact]
    public void Tls_is_off_by_default_and_checks_names_when_on()
    {
        var tls = Parse("").Tls;
        Assert.False(tls.Enabled);
        Assert.Empty(tls.TrustedCertificates);
        Assert.True(tls.VerifyHostName);
        Assert.False(tls.AllowInsecure);

        tls = Parse("tls { enabled = on, verify-host-name = off, allow-insecure = on }").Tls;
        Assert.True(tls.Enabled);
        Assert.False(tls.VerifyHostName);
        Assert.True(tls.AllowInsecure);
    }

    [Fact]
    public void Trusted_certificates_are_loaded_from_their_pem_files()
    {
        using var ca = new TestCertificates("Settings Test CA");
        var tls = Parse($"tls {{ enabled = on, trusted-certificates = [\"{ca.CaPath}\"] }}").Tls;
        Assert.Equal(new[] { ca.CaPath }, tls.TrustedCertificatePaths);
        Assert.Equal(ca.CaSubject, Assert.Single(tls.TrustedCertificates).Subject);
    }

    [Fact]
    public void A_missing_certificate_file_is_an_error_naming_the_key_and_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}.pem");
        var e = Assert.Throws<ArgumentException>(() => Parse($"tls.trusted-certificates = [\"{path}\"]"));
        Assert.Contains("akka.couchbase.tls.trusted-certificates", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_file_without_a_certificate_is_an_error_naming_the_key_and_the_path()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a certificate\n");
            var e = Assert.Throws<ArgumentException>(() => Parse($"tls.trusted-certificates = [\"{path}\"]"));
            Assert.Contains("akka.couchbase.tls.trusted-certificates", e.Message);
            Assert.Contains(path, e.Message);
            Assert.Contains("no PEM certificate", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
