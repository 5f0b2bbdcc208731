using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Akka.Couchbase.Tests.Infrastructure;

/// <summary>
/// A certificate authority made for one test run, and server certificates it signs, written as PEM files into a
/// temporary folder (deleted on dispose): what a TLS server (memcached -Z) and a client's trusted-certificates read.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly X509Certificate2 _ca;

    /// <param name="caName">The CA's common name, as it appears in its subject.</param>
    public TestCertificates(string caName)
    {
        Folder = Directory.CreateTempSubdirectory("akka-couchbase-tls-").FullName;
        CaSubject = $"CN={caName}";
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(CaSubject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(60));
        CaPath = Path.Combine(Folder, "ca.pem");
        File.WriteAllText(CaPath, _ca.ExportCertificatePem());
    }

    /// <summary>The folder holding every file written.</summary>
    public string Folder { get; }

    /// <summary>The CA's subject, e.g. <c>CN=Test CA</c>.</summary>
    public string CaSubject { get; }

    /// <summary>The CA certificate, PEM.</summary>
    public string CaPath { get; }

    /// <summary>
    /// A server certificate signed by the CA for <paramref name="dnsNames"/> and <paramref name="addresses"/>:
    /// the chain file (server certificate, then the CA) and the private key file, both PEM; valid from a day ago
    /// for 30 days unless <paramref name="notBefore"/> and <paramref name="notAfter"/> say otherwise.
    /// </summary>
    public (string ChainPath, string KeyPath) Server(string fileName, string[] dnsNames, IPAddress[] addresses,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsNames.FirstOrDefault() ?? addresses[0].ToString()}", key,
            HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames) san.AddDnsName(name);
        foreach (var address in addresses) san.AddIpAddress(address);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false)); // server authentication
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var certificate = request.Create(_ca, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1),
            notAfter ?? DateTimeOffset.UtcNow.AddDays(30), serial);
        var chainPath = Path.Combine(Folder, $"{fileName}-chain.pem");
        var keyPath = Path.Combine(Folder, $"{fileName}-key.pem");
        File.WriteAllText(chainPath, certificate.ExportCertificatePem() + "\n" + _ca.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (chainPath, keyPath);
    }

    /// <summary>
    /// A client certificate signed by the CA with <paramref name="commonName"/> as its subject's CN (the user name,
    /// in Couchbase's X.509 authentication): the PEM certificate, its PEM private key, and the same as a PKCS#12 file
    /// locked with <paramref name="pkcs12Password"/>.
    /// </summary>
    public (string CertificatePath, string KeyPath, string Pkcs12Path) Client(string commonName, string pkcs12Password)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") }, false)); // client authentication
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var certificate = request.Create(_ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
        using var withKey = certificate.CopyWithPrivateKey(key);
        var certificatePath = Path.Combine(Folder, $"client-{commonName}.pem");
        var keyPath = Path.Combine(Folder, $"client-{commonName}-key.pem");
        var pkcs12Path = Path.Combine(Folder, $"client-{commonName}.p12");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllBytes(pkcs12Path, withKey.Export(X509ContentType.Pkcs12, pkcs12Password));
        return (certificatePath, keyPath, pkcs12Path);
    }

    /// <summary>A server certificate for <c>localhost</c> and <c>127.0.0.1</c>.</summary>
    public (string ChainPath, string KeyPath) Localhost() =>
        Server("localhost", new[] { "localhost" }, new[] { IPAddress.Loopback });

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
