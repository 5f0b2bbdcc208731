using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Akka.Couchbase.Routing;

namespace Akka.Couchbase.Transport;

/// <summary>
/// The client's TLS rules for its HTTP connections (the cluster manager's map stream, views): the same trusted CAs,
/// host name check, insecure mode and client certificate as the KV connections, on a <see cref="SocketsHttpHandler"/>.
/// It remembers why a server's certificate was refused, so that an HTTP failure can say so in the KV connections'
/// words instead of .NET's "the remote certificate was rejected by the provided RemoteCertificateValidationCallback".
/// </summary>
internal sealed class HttpTls
{
    private readonly TlsSettings _tls;
    private readonly ConcurrentDictionary<string, string> _refusals = new(StringComparer.OrdinalIgnoreCase);

    public HttpTls(TlsSettings tls) => _tls = tls;

    /// <summary>The URL scheme: https with TLS, else http.</summary>
    public string Scheme => _tls.Enabled ? "https" : "http";

    /// <summary>A handler with these rules (TLS 1.2 or 1.3, no system proxy, no decompression).</summary>
    public SocketsHttpHandler CreateHandler(TimeSpan connectTimeout, TimeSpan pooledConnectionLifetime)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,
            PooledConnectionLifetime = pooledConnectionLifetime,
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (!_tls.Enabled) return handler;
        handler.SslOptions = ServerCertificateCheck.ClientOptions(_tls, Validate);
        return handler;
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var host = HostPort.Unbracket((sender as SslStream)?.TargetHostName ?? "");
        var problem = ServerCertificateCheck.Judge(_tls, host, certificate, chain, errors);
        if (problem is null)
        {
            _refusals.TryRemove(host, out _);
            return true;
        }
        _refusals[host] = problem;
        return false;
    }

    /// <summary>
    /// Why a request to <paramref name="uri"/> failed: the refused certificate's problem when the TLS handshake failed
    /// on it, the TLS failure in plain words for another handshake failure, else the exception's message.
    /// </summary>
    public string Explain(Exception e, Uri uri)
    {
        var tlsFailure = false;
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is AuthenticationException) tlsFailure = true;
        if (!tlsFailure) return e.Message;
        var host = HostPort.Unbracket(uri.IdnHost);
        var problem = _refusals.TryGetValue(host, out var p) ? p : null;
        return $"TLS handshake with {HostPort.Format(host, uri.Port)} failed: " +
               TlsFailure.OfHandshake(e, problem, ReadOnlySpan<byte>.Empty);
    }
}
