using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Akka.Couchbase.TestKit.Tls;

/// <summary>
/// A self-signed ECDSA P-256 CA made at start with <see cref="CertificateRequest"/>, and the node and client
/// certificates it signs. Every certificate it hands out carries its private key in a form <c>SslStream</c> can use
/// on every platform (an in-memory key round-tripped through PKCS#12).
/// </summary>
internal sealed class CertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private readonly ECDsa _key;

    private CertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        _key = key;
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Makes a CA valid from a year ago for ten years.</summary>
    public static CertificateAuthority Create(string commonName)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=Akka.Couchbase.TestKit", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var withKey = request.CreateSelfSigned(now.AddDays(-365), now.AddYears(10));
        var publicOnly = CertificateLoading.Load(withKey.RawData);
        return new CertificateAuthority(publicOnly, key);
    }

    /// <summary>
    /// A server certificate for <paramref name="host"/> (an IP address SAN for an IP host, a DNS SAN otherwise),
    /// valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>.
    /// </summary>
    public X509Certificate2 IssueServer(string host, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var san = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(host, out var ip)) san.AddIpAddress(ip);
        else san.AddDnsName(host);
        return Issue("CN=" + host, san.Build(), ServerAuth, notBefore, notAfter);
    }

    /// <summary>A client certificate whose subject CN is <paramref name="user"/>, valid now for a year.</summary>
    public X509Certificate2 IssueClient(string user)
    {
        var now = DateTimeOffset.UtcNow;
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName(user);
        return Issue(name.Build().Name, null, ClientAuth, now.AddDays(-1), now.AddYears(1));
    }

    private X509Certificate2 Issue(string subject, X509Extension? san, Oid usage, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { usage }, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        if (san != null) request.CertificateExtensions.Add(san);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f; // a positive serial number
        var generator = X509SignatureGenerator.CreateForECDsa(_key);
        using var publicOnly = request.Create(Certificate.SubjectName, generator, notBefore, notAfter, serial);
        using var withKey = publicOnly.CopyWithPrivateKey(key);
        // An ephemeral key is not usable by every platform's TLS stack: export it and load it back as a stored one.
        return CertificateLoading.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12));
    }

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }
}
