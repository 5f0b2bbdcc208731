using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Akka.Couchbase.Transport;

/// <summary>
/// Why a TLS connect or an open TLS connection failed, in the words a person acts on: a certificate refused (with
/// <see cref="ServerCertificateCheck.Problem"/>), a server that does not speak TLS, no TLS version in common, a
/// reset or a close. Never shows data beyond the first bytes of a server that is not speaking TLS.
/// </summary>
internal static class TlsFailure
{
    /// <summary>A failed handshake: the certificate's problem, or what the first bytes and the exception show.</summary>
    public static string OfHandshake(Exception e, string? certificateProblem, ReadOnlySpan<byte> first)
    {
        if (certificateProblem is not null) return $"the server's certificate is refused: {certificateProblem}";
        if (first.Length > 0 && first[0] is not (0x16 or 0x15))
            return $"the server does not speak TLS (it answered {Printable(first)}, which is no TLS record): " +
                   "is this a plain (non-TLS) port? Couchbase Server's KV TLS port is 11207";
        var text = Messages(e);
        if (ClientCertificateRefusal(text) is { } refusal) return refusal;
        if (Has(text, "protocol version") || Has(text, "unsupported protocol") || Has(text, "ProtocolVersion") ||
            Has(text, "no protocols available"))
            return "no TLS version in common: the client offers TLS 1.2 and 1.3 only";
        if (Has(text, "wrong version number"))
            return "the server does not speak TLS (its answer is no TLS record): is this a plain (non-TLS) port?";
        if (e is IOException or AuthenticationException && first.Length == 0 && Socket(e) is null)
            return $"the server closed the connection during the TLS handshake without a TLS answer (does it speak TLS on this port?): {text}";
        return OfConnection(e);
    }

    /// <summary>A failed read or write on an open connection, or a failed TCP connect.</summary>
    public static string OfConnection(Exception e)
    {
        if (Socket(e) is { } socket) return ConnectFailure.Describe(socket.SocketErrorCode);
        if (ClientCertificateRefusal(Messages(e)) is { } refusal) return refusal;
        if (e is AuthenticationException) return $"TLS error: {Messages(e)}";
        return Messages(e);
    }

    /// <summary>
    /// The server's TLS alert refusing the client's certificate, in words: with TLS 1.3 it arrives after the client
    /// finished its side of the handshake, as the first read of the connection.
    /// </summary>
    private static string? ClientCertificateRefusal(string text)
    {
        if (Has(text, "alert certificate required"))
            return "the server requires a client certificate, and none was presented " +
                   "(akka.couchbase.tls.client-certificate)";
        foreach (var alert in new[] { "unknown ca", "bad certificate", "certificate unknown", "unsupported certificate",
                     "certificate revoked", "certificate expired", "access denied" })
            if (Has(text, "alert " + alert))
                return $"the server refused the client certificate (TLS alert: {alert}): is it signed by a CA the " +
                       "server trusts, valid now, and meant for client authentication?";
        return null;
    }

    private static SocketException? Socket(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is SocketException s) return s;
        return null;
    }

    private static string Messages(Exception e)
    {
        var parts = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (!parts.Contains(x.Message)) parts.Add(x.Message);
        return string.Join(": ", parts);
    }

    private static bool Has(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var s = new StringBuilder("\"");
        foreach (var b in bytes)
            s.Append(b switch
            {
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        return s.Append('"').ToString();
    }
}
