using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Akka.Couchbase.TestKit.Cluster;

namespace Akka.Couchbase.TestKit.Tls;

/// <summary>
/// The server side of a TLS handshake on one node's accepted socket: TLS 1.2 or 1.3, the certificate the cluster
/// serves now, and, when client certificates are on, the user the client's certificate names.
/// </summary>
internal sealed class TlsAcceptor(ClusterTls tls, InProcessNode node, TlsService service)
{
    /// <summary>How long a client may take to complete the handshake before the connection is closed.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs the handshake over <paramref name="socket"/>. Returns the stream to read and write, and the user a client
    /// certificate authenticated (null without one); throws <see cref="AuthenticationException"/> (or an I/O error)
    /// when the handshake fails or the client's certificate is refused.
    /// </summary>
    public async Task<(SslStream Stream, string? User)> AuthenticateAsync(Socket socket, CancellationToken ct)
    {
        var mode = tls.ClientCertificates;
        string? user = null;
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = tls.ServerCertificateFor(node),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateRequired = mode != ClientCertificateMode.Disabled,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (mode == ClientCertificateMode.Disabled) return true;
                if (certificate is null) return mode == ClientCertificateMode.Enabled;
                // a certificate that does not name an existing user, or is not the cluster CA's, ends the handshake
                user = tls.UserOf(certificate);
                return user != null;
            },
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(HandshakeTimeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(options, timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            tls.CountFailedHandshake();
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        tls.CountHandshake(service);
        return (ssl, user);
    }
}
