using System.Text;

namespace Akka.Couchbase.TestKit.Http;

/// <summary>
/// One parsed HTTP/1.1 request: request line, headers and the whole body (read before the handler runs).
/// </summary>
public sealed class HttpRequest
{
    internal HttpRequest(string method, string rawTarget, string version,
        IReadOnlyDictionary<string, string> headers, byte[] body, System.Net.EndPoint? remoteEndPoint,
        string? clientCertificateUser = null)
    {
        ClientCertificateUser = clientCertificateUser;
        Method = method;
        RawTarget = rawTarget;
        Version = version;
        Headers = headers;
        Body = body;
        RemoteEndPoint = remoteEndPoint;

        var q = rawTarget.IndexOf('?');
        RawPath = q < 0 ? rawTarget : rawTarget[..q];
        RawQuery = q < 0 ? "" : rawTarget[(q + 1)..];
        Path = DecodePath(RawPath);
        Query = ParseQuery(RawQuery);
    }

    /// <summary>The request method, upper case as sent (GET, PUT, POST, DELETE, HEAD...).</summary>
    public string Method { get; }

    /// <summary>The request target exactly as sent (path and query, still percent-encoded).</summary>
    public string RawTarget { get; }

    /// <summary>The protocol version from the request line, e.g. <c>HTTP/1.1</c>.</summary>
    public string Version { get; }

    /// <summary>The path part of the target, still percent-encoded.</summary>
    public string RawPath { get; }

    /// <summary>The path part of the target, percent-decoded (a <c>+</c> stays a <c>+</c>).</summary>
    public string Path { get; }

    /// <summary>The query string without the leading <c>?</c>, still encoded; empty when absent.</summary>
    public string RawQuery { get; }

    /// <summary>Query parameters, URL-decoded (<c>+</c> is a space); when a name repeats, the last value wins.</summary>
    public IReadOnlyDictionary<string, string> Query { get; }

    /// <summary>Request headers, names compared case-insensitively; repeated headers are joined with <c>", "</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The request body (from Content-Length or a chunked body); empty when there is none.</summary>
    public byte[] Body { get; }

    /// <summary>The peer's address, when known.</summary>
    public System.Net.EndPoint? RemoteEndPoint { get; }

    /// <summary>
    /// The user the connection's TLS client certificate authenticated (X.509 authentication), or null: a plain
    /// connection, or none presented. Such a request needs no Basic auth.
    /// </summary>
    public string? ClientCertificateUser { get; }

    /// <summary>The body decoded as UTF-8.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The value of a header, or null when absent.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    /// <summary>
    /// Reads HTTP Basic credentials from the Authorization header.
    /// Returns false when the header is absent or malformed.
    /// </summary>
    public bool TryGetBasicAuth(out string user, out string password)
    {
        user = "";
        password = "";
        if (!Headers.TryGetValue("Authorization", out var auth)) return false;
        auth = auth.Trim();
        if (!auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth[6..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = decoded.IndexOf(':');
        if (colon < 0) return false;
        user = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }

    private static string DecodePath(string rawPath)
    {
        try
        {
            return Uri.UnescapeDataString(rawPath);
        }
        catch (UriFormatException)
        {
            return rawPath;
        }
    }

    /// <summary>Parses an <c>application/x-www-form-urlencoded</c> string; the last value of a repeated name wins.</summary>
    public static IReadOnlyDictionary<string, string> ParseQuery(string raw)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (raw.Length == 0) return result;
        foreach (var part in raw.Split('&'))
        {
            if (part.Length == 0) continue;
            var eq = part.IndexOf('=');
            var name = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            result[FormDecode(name)] = FormDecode(value);
        }
        return result;
    }

    private static string FormDecode(string s)
    {
        s = s.Replace('+', ' ');
        try
        {
            return Uri.UnescapeDataString(s);
        }
        catch (UriFormatException)
        {
            return s;
        }
    }
}
