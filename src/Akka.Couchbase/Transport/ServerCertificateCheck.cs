using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Akka.Couchbase.Transport;

/// <summary>
/// Judges one server certificate by the <see cref="TlsSettings"/> (trusted CAs, host name check, insecure mode) in
/// the TLS validation callback, and keeps what was wrong with it in plain words (<see cref="Problem"/>), for the
/// connect failure: an untrusted root or a broken chain, a name mismatch, an expired certificate. One per attempt.
/// </summary>
internal sealed class ServerCertificateCheck
{
    private readonly TlsSettings _tls;
    private readonly string _host;

    public ServerCertificateCheck(TlsSettings tls, string host)
    {
        _tls = tls;
        _host = host;
    }

    /// <summary>
    /// The problem of one server certificate for <paramref name="host"/> under <paramref name="tls"/>, or null when it
    /// is accepted: the same judgement as the KV connections', for HTTP connections (one check per handshake).
    /// </summary>
    public static string? Judge(TlsSettings tls, string host, X509Certificate? certificate, X509Chain? chain,
        SslPolicyErrors errors)
    {
        var check = new ServerCertificateCheck(tls, host);
        return check.Validate(check, certificate, chain, errors) ? null : check.Problem;
    }

    /// <summary>
    /// The chain policy that trusts only <see cref="TlsSettings.TrustedCertificates"/>, or null for the system store.
    /// </summary>
    public static X509ChainPolicy? ChainPolicy(TlsSettings tls)
    {
        if (tls.TrustedCertificates.Count == 0) return null;
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        foreach (var ca in tls.TrustedCertificates) policy.CustomTrustStore.Add(ca);
        return policy;
    }

    /// <summary>Why the certificate was refused; null while none was.</summary>
    public string? Problem { get; private set; }

    /// <summary>The client side of a handshake with these rules: TLS 1.2 or 1.3, this check as the validation.</summary>
    public SslClientAuthenticationOptions Options()
    {
        var options = ClientOptions(_tls, Validate);
        options.TargetHost = _host;
        return options;
    }

    /// <summary>
    /// The client side of every handshake the client makes, KV and HTTP alike: TLS 1.2 or 1.3, no revocation check,
    /// only <see cref="TlsSettings.TrustedCertificates"/> trusted when any is given, the client certificate if one is
    /// set, and <paramref name="validate"/> as the validation.
    /// </summary>
    public static SslClientAuthenticationOptions ClientOptions(TlsSettings tls, RemoteCertificateValidationCallback validate) => new()
    {
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = validate,
        CertificateChainPolicy = ChainPolicy(tls),
        ClientCertificates = tls.ClientCertificate is { } mine ? new X509CertificateCollection { mine } : null,
    };

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_tls.AllowInsecure) return true;
        var problems = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) problems.Add("the server sent no certificate");
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) && _tls.VerifyHostName)
            problems.Add(NameMismatch(certificate));
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && !ChainsToBuiltInRoot(certificate, chain))
            problems.Add(ChainProblem(certificate, chain));
        if (problems.Count == 0) return true;
        Problem = string.Join("; ", problems);
        return false;
    }

    private string NameMismatch(X509Certificate? certificate)
    {
        var names = certificate is null ? new List<string>() : NamesOf(AsCertificate2(certificate));
        return $"name mismatch: the server's certificate is for [{string.Join(", ", names)}], not for '{_host}' " +
               "(akka.couchbase.tls.verify-host-name = off ignores this)";
    }

    private static List<string> NamesOf(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is not X509SubjectAlternativeNameExtension san) continue;
            names.AddRange(san.EnumerateDnsNames());
            names.AddRange(san.EnumerateIPAddresses().Select(ip => ip.ToString()));
        }
        if (names.Count == 0) names.Add(certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        return names;
    }

    /// <summary>
    /// With the system store in use (no trusted certificates given), whether the certificate chains to a built-in root
    /// (Capella's): the chain is built again with that root as the only trust anchor, with the intermediates the
    /// server sent, and must be valid in every other way too (times, usage).
    /// </summary>
    private bool ChainsToBuiltInRoot(X509Certificate? certificate, X509Chain? chain)
    {
        if (certificate is null || _tls.TrustedCertificates.Count > 0 || _tls.BuiltInRoots.Count == 0) return false;
        using var rebuilt = new X509Chain();
        rebuilt.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        rebuilt.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var root in _tls.BuiltInRoots) rebuilt.ChainPolicy.CustomTrustStore.Add(root);
        if (chain is not null)
        {
            rebuilt.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            foreach (var element in chain.ChainElements) rebuilt.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        return rebuilt.Build(AsCertificate2(certificate));
    }

    /// <summary>The certificate the callback was given, as the X509Certificate2 the checks read.</summary>
    private static X509Certificate2 AsCertificate2(X509Certificate certificate) =>
        certificate as X509Certificate2 ?? new X509Certificate2(certificate);

    private string ChainProblem(X509Certificate? certificate, X509Chain? chain)
    {
        var statuses = chain?.ChainStatus.Select(s => s.Status).Aggregate(X509ChainStatusFlags.NoError, (a, b) => a | b)
                       ?? X509ChainStatusFlags.NoError;
        var leaf = certificate is null ? null : AsCertificate2(certificate);
        var last = chain is { ChainElements.Count: > 0 } ? chain.ChainElements[^1].Certificate : leaf;
        var trusted = _tls.TrustedCertificates.Count > 0
            ? $"the CA certificates of akka.couchbase.tls.trusted-certificates [{string.Join(", ", _tls.TrustedCertificatePaths)}]"
            : _tls.BuiltInRoots.Count > 0
                ? "the system's trust store and Couchbase Capella's root CA (akka.couchbase.tls.trusted-certificates is empty)"
                : "the system's trust store (akka.couchbase.tls.trusted-certificates is empty)";
        var problems = new List<string>();
        if (statuses.HasFlag(X509ChainStatusFlags.UntrustedRoot))
            problems.Add($"untrusted root: the certificate chain ends in '{last?.Subject}', which is not among {trusted}");
        else if (statuses.HasFlag(X509ChainStatusFlags.PartialChain))
            problems.Add($"untrusted root: no certificate among {trusted} issued '{last?.Issuer}' " +
                         $"(the chain the server sent ends at '{last?.Subject}')");
        if (statuses.HasFlag(X509ChainStatusFlags.NotTimeValid) && leaf is not null)
        {
            var now = DateTime.Now;
            problems.Add(leaf.NotAfter < now
                ? $"expired: the certificate '{leaf.Subject}' was valid until {leaf.NotAfter:u}"
                : leaf.NotBefore > now
                    ? $"not yet valid: the certificate '{leaf.Subject}' is valid from {leaf.NotBefore:u}"
                    : "a certificate of the chain has expired or is not yet valid");
        }
        var rest = statuses & ~(X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.NotTimeValid);
        if (rest != X509ChainStatusFlags.NoError)
            problems.Add($"the certificate chain is not valid ({rest})");
        if (problems.Count == 0) problems.Add("the certificate chain is not valid");
        return string.Join("; ", problems);
    }
}
