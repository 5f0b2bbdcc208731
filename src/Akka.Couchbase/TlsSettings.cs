using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Configuration;
using Akka.Couchbase.Transport;

namespace Akka.Couchbase;

/// <summary>
/// TLS to the nodes' KV ports, read from <c>akka.couchbase.tls</c>. When <see cref="TrustedCertificates"/> holds
/// certificates, a server's chain must end in one of them (the system store is not consulted); otherwise the system
/// store decides. Certificates are loaded from their PEM files when the settings are read.
/// </summary>
public sealed record TlsSettings
{
    /// <summary>TLS off: plain TCP, as by default.</summary>
    public static readonly TlsSettings Disabled = new();

    /// <summary>Whether connections to the nodes use TLS (1.2 or 1.3).</summary>
    public bool Enabled { get; init; }

    /// <summary>The PEM files <see cref="TrustedCertificates"/> were read from, as configured.</summary>
    public IReadOnlyList<string> TrustedCertificatePaths { get; init; } = Array.Empty<string>();

    /// <summary>CA certificates trusted instead of the system store; empty means the system store.</summary>
    public IReadOnlyList<X509Certificate2> TrustedCertificates { get; init; } = Array.Empty<X509Certificate2>();

    /// <summary>Whether the server's certificate must name the host connected to.</summary>
    public bool VerifyHostName { get; init; } = true;

    /// <summary>Accept any server certificate (tests and trials only: it gives no protection from a man in the middle).</summary>
    public bool AllowInsecure { get; init; }

    /// <summary>The file <see cref="ClientCertificate"/> was read from (PEM or PKCS#12), or empty.</summary>
    public string ClientCertificatePath { get; init; } = "";

    /// <summary>The PEM private key file of a PEM client certificate, or empty.</summary>
    public string ClientKeyPath { get; init; } = "";

    /// <summary>
    /// The certificate (with its private key) the client presents in the TLS handshake (mutual TLS), or null. With
    /// a client certificate and no password, the nodes authenticate the client by the certificate and no SASL is
    /// done (Couchbase's X.509 authentication); with a password, SASL runs as well.
    /// </summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>
    /// Whether Couchbase Capella's root CA, built into the client as the Couchbase SDKs ship it, is trusted besides
    /// the system store when <see cref="TrustedCertificates"/> is empty (<c>tls.trust-capella-root</c>, default on).
    /// With trusted certificates given, only those are trusted, whatever this says.
    /// </summary>
    public bool TrustCapellaRoot
    {
        get => BuiltInRoots.Count > 0;
        init => BuiltInRoots = value ? CapellaRootCa.Certificates : Array.Empty<X509Certificate2>();
    }

    /// <summary>The roots trusted besides the system store (with no trusted certificates): Capella's, or none; tests swap it.</summary>
    internal IReadOnlyList<X509Certificate2> BuiltInRoots { get; init; } = CapellaRootCa.Certificates;

    /// <summary>Reads a <c>tls</c> section (<paramref name="key"/> names it in errors); certificate files are loaded here.</summary>
    internal static TlsSettings Read(Config tls, string key)
    {
        var paths = tls.GetStringList("trusted-certificates") ?? (IList<string>)Array.Empty<string>();
        var certificates = new List<X509Certificate2>();
        foreach (var path in paths) certificates.AddRange(Load(path, $"{key}.trusted-certificates"));
        var enabled = HoconValues.Switch(tls, "enabled", $"{key}.enabled");
        var clientPath = tls.GetString("client-certificate") ?? "";
        var keyPath = tls.GetString("client-key") ?? "";
        if (clientPath.Length == 0 && keyPath.Length > 0)
            throw new ArgumentException($"{key}.client-key is set but {key}.client-certificate is not");
        if (clientPath.Length > 0 && !enabled)
            throw new ArgumentException($"{key}.client-certificate needs {key}.enabled = on (a client certificate is presented in the TLS handshake)");
        var client = clientPath.Length == 0
            ? null
            : ClientCertificateLoader.Load(clientPath, keyPath, tls.GetString("client-certificate-password") ?? "", key);
        return new TlsSettings
        {
            Enabled = enabled,
            ClientCertificatePath = clientPath,
            ClientKeyPath = keyPath,
            ClientCertificate = client,
            TrustedCertificatePaths = paths.ToArray(),
            TrustedCertificates = certificates,
            VerifyHostName = HoconValues.Switch(tls, "verify-host-name", $"{key}.verify-host-name"),
            AllowInsecure = HoconValues.Switch(tls, "allow-insecure", $"{key}.allow-insecure"),
            TrustCapellaRoot = HoconValues.Switch(tls, "trust-capella-root", $"{key}.trust-capella-root", fallback: true),
        };
    }

    /// <summary>Every certificate of one PEM file; a missing, unreadable or empty file is an error naming the key and the path.</summary>
    private static X509Certificate2Collection Load(string path, string key)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException($"{key} contains an empty path");
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{key}: cannot read '{path}' ({e.Message})", e);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"{key}: '{path}' is not a readable PEM certificate file ({e.Message})", e);
        }
        if (collection.Count == 0)
            throw new ArgumentException($"{key}: '{path}' holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)");
        return collection;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"TlsSettings(enabled={Enabled}, trusted-certificates=[{string.Join(", ", TrustedCertificatePaths)}], " +
        $"verify-host-name={VerifyHostName}, allow-insecure={AllowInsecure}, trust-capella-root={TrustCapellaRoot}" +
        (ClientCertificatePath.Length > 0 ? $", client-certificate={ClientCertificatePath}" : "") + ")";
}
