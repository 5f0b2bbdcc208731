using System.Globalization;

namespace Akka.Couchbase.Routing;

/// <summary>Formats and splits <c>"host:port"</c> strings, with IPv6 hosts in brackets (<c>"[::1]:11210"</c>).</summary>
internal static class HostPort
{
    /// <summary>The host without surrounding brackets.</summary>
    public static string Unbracket(string host) =>
        host.Length >= 2 && host[0] == '[' && host[^1] == ']' ? host.Substring(1, host.Length - 2) : host;

    /// <summary>The host as it must appear before a <c>:port</c> suffix or in a URL: IPv6 literals in brackets.</summary>
    public static string Bracket(string host)
    {
        host = Unbracket(host);
        return host.Contains(':') ? "[" + host + "]" : host;
    }

    /// <summary><c>host:port</c>, bracketing IPv6 literals.</summary>
    public static string Format(string host, int port) => Bracket(host) + ":" + port.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Normalises a <c>host:port</c> string so IPv6 hosts are bracketed (an unbracketed string with several colons
    /// is read as an IPv6 host followed by the port after the last colon).
    /// </summary>
    public static string Normalize(string hostPort)
    {
        if (hostPort.StartsWith('[')) return hostPort;
        var last = hostPort.LastIndexOf(':');
        if (last <= 0 || hostPort.IndexOf(':') == last) return hostPort;
        return "[" + hostPort.Substring(0, last) + "]" + hostPort.Substring(last);
    }

    /// <summary>Splits <c>host:port</c> (host unbracketed in the result); false when there is no valid port.</summary>
    public static bool TryParse(string hostPort, out string host, out int port)
    {
        host = "";
        port = 0;
        string portText;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']');
            if (close < 0 || close + 1 >= hostPort.Length || hostPort[close + 1] != ':') return false;
            host = hostPort.Substring(1, close - 1);
            portText = hostPort.Substring(close + 2);
        }
        else
        {
            var last = hostPort.LastIndexOf(':');
            if (last <= 0) return false;
            host = hostPort.Substring(0, last);
            portText = hostPort.Substring(last + 1);
        }
        return host.Length > 0
            && int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port is > 0 and <= 65535;
    }
}
