using System.Security.Cryptography.X509Certificates;

namespace Akka.Couchbase.TestKit.Tls;

/// <summary>Loads certificates from bytes on every target framework (<c>X509CertificateLoader</c> from .NET 9 on).</summary>
internal static class CertificateLoading
{
    /// <summary>A certificate (public part) from its DER bytes.</summary>
    public static X509Certificate2 Load(byte[] der) =>
#if NET9_0_OR_GREATER
        X509CertificateLoader.LoadCertificate(der);
#else
        new(der);
#endif

    /// <summary>A certificate with its private key from an unprotected PKCS#12 blob, the key kept exportable.</summary>
    public static X509Certificate2 LoadPkcs12(byte[] pkcs12) =>
#if NET9_0_OR_GREATER
        X509CertificateLoader.LoadPkcs12(pkcs12, null, X509KeyStorageFlags.Exportable);
#else
        new(pkcs12, (string?)null, X509KeyStorageFlags.Exportable);
#endif
}
