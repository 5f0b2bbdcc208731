using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Akka.Couchbase;

/// <summary>
/// Reads the client certificate of <c>akka.couchbase.tls</c>: a PEM certificate with its PEM private key (the key
/// may be encrypted, then the password opens it), or a PKCS#12 file (<c>.p12</c> / <c>.pfx</c>) with its password.
/// Errors name the key and the file, never the password.
/// </summary>
internal static class ClientCertificateLoader
{
    public static X509Certificate2 Load(string certificatePath, string keyPath, string password, string key)
    {
        if (!File.Exists(certificatePath))
            throw new ArgumentException($"{key}.client-certificate: no file '{certificatePath}'");
        X509Certificate2 loaded;
        try
        {
            loaded = IsPkcs12(certificatePath, keyPath)
                ? LoadPkcs12(File.ReadAllBytes(certificatePath), password)
                : LoadPem(certificatePath, keyPath, password, key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{key}.client-certificate: cannot read '{certificatePath}' or its key ({e.Message})", e);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException(
                $"{key}.client-certificate: '{certificatePath}'{(keyPath.Length > 0 ? $" with the key '{keyPath}'" : "")} " +
                $"is not a readable certificate and private key ({e.Message}; is the password right?)", e);
        }
        if (!loaded.HasPrivateKey)
            throw new ArgumentException(
                $"{key}.client-certificate: '{certificatePath}' holds no private key (give it in {key}.client-key)");
        return loaded;
    }

    private static bool IsPkcs12(string certificatePath, string keyPath) =>
        keyPath.Length == 0 && !File.ReadAllText(certificatePath).Contains("-----BEGIN", StringComparison.Ordinal);

    private static X509Certificate2 LoadPem(string certificatePath, string keyPath, string password, string key)
    {
        if (keyPath.Length > 0 && !File.Exists(keyPath))
            throw new ArgumentException($"{key}.client-key: no file '{keyPath}'");
        if (keyPath.Length == 0 && !File.ReadAllText(certificatePath).Contains("PRIVATE KEY-----", StringComparison.Ordinal))
            throw new ArgumentException(
                $"{key}.client-certificate: '{certificatePath}' holds no private key (give it in {key}.client-key)");
        var pem = password.Length > 0
            ? X509Certificate2.CreateFromEncryptedPemFile(certificatePath, password, keyPath.Length > 0 ? keyPath : null)
            : X509Certificate2.CreateFromPemFile(certificatePath, keyPath.Length > 0 ? keyPath : null);
        // A key read from PEM is ephemeral; a TLS handshake needs it as a PKCS#12 key would be (Windows refuses an
        // ephemeral key, Linux accepts both), so it goes through PKCS#12 once.
        using (pem) return LoadPkcs12(pem.Export(X509ContentType.Pkcs12), "");
    }

    private static X509Certificate2 LoadPkcs12(byte[] bytes, string password)
    {
#if NET9_0_OR_GREATER
        return X509CertificateLoader.LoadPkcs12(bytes, password, X509KeyStorageFlags.Exportable);
#else
        return new X509Certificate2(bytes, password, X509KeyStorageFlags.Exportable);
#endif
    }
}
