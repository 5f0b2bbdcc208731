using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Akka.Couchbase.TestKit.Tests.Support;

/// <summary>
/// The client side of a TLS handshake as a strict client does it: the server certificate must chain to
/// <see cref="Trust"/> (and nothing else), be valid now and name <see cref="TargetHost"/>. What the check found is kept
/// in <see cref="SeenErrors"/> and <see cref="SeenChainStatus"/>, so a test can say why a handshake was refused.
/// </summary>
internal sealed class TlsClient(X509Certificate2 trust, string targetHost = "127.0.0.1")
{
    public X509Certificate2 Trust { get; } = trust;
    public string TargetHost { get; } = targetHost;
    public X509Certificate2? ClientCertificate { get; init; }
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    public SslPolicyErrors SeenErrors { get; private set; }
    public X509ChainStatusFlags SeenChainStatus { get; private set; }
    public X509Certificate2? SeenServerCertificate { get; private set; }

    /// <summary>Runs the handshake on <paramref name="inner"/>; throws <see cref="AuthenticationException"/> when refused.</summary>
    public async Task<SslStream> HandshakeAsync(Stream inner)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(Options()).WaitAsync(TimeSpan.FromSeconds(20));
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }

    /// <summary>The options a <see cref="SslStream"/> or a <see cref="SocketsHttpHandler"/> needs for this check.</summary>
    public SslClientAuthenticationOptions Options() => new()
    {
        TargetHost = TargetHost,
        EnabledSslProtocols = Protocols,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        ClientCertificates = ClientCertificate is null ? null : new X509CertificateCollection { ClientCertificate },
        LocalCertificateSelectionCallback = ClientCertificate is null ? null : (_, _, _, _, _) => ClientCertificate,
        RemoteCertificateValidationCallback = Check,
    };

    /// <summary>An HttpClient that trusts only <see cref="Trust"/> (and presents the client certificate, if any).</summary>
    public HttpClient HttpClient() => new(new SocketsHttpHandler { SslOptions = Options() }) { Timeout = TimeSpan.FromSeconds(20) };

    private bool Check(object sender, X509Certificate? certificate, X509Chain? _, SslPolicyErrors errors)
    {
        SeenErrors = errors & SslPolicyErrors.RemoteCertificateNameMismatch | errors & SslPolicyErrors.RemoteCertificateNotAvailable;
        if (certificate is null) return false;
        SeenServerCertificate = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Trust);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!chain.Build(SeenServerCertificate))
        {
            SeenErrors |= SslPolicyErrors.RemoteCertificateChainErrors;
            foreach (var status in chain.ChainStatus) SeenChainStatus |= status.Status;
        }
        return SeenErrors == SslPolicyErrors.None;
    }
}
