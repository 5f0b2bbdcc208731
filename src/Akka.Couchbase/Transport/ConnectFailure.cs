using System.Net;
using System.Net.Sockets;
using Akka.IO;

namespace Akka.Couchbase.Transport;

/// <summary>
/// Names why a TCP connect failed, in the words a person acts on: refused, timed out, reset, closed, unreachable,
/// unknown host. Akka.IO reports most connect failures as "finishConnect never returned true", having dropped the
/// socket error (and having tried five more times at once, <c>akka.io.tcp.finish-connect-retries</c>); for those
/// the cause is learnt from one connect of our own (<see cref="ProbeAsync"/>).
/// </summary>
internal static class ConnectFailure
{
    /// <summary>The cause in Akka.IO's report, or null when the report does not say it.</summary>
    public static string? FromAkkaIo(Tcp.CommandFailed failed, TimeSpan timeout)
    {
        if (!failed.Cause.HasValue) return null;
        var cause = failed.Cause.Value;
        for (var e = cause; e is not null; e = e.InnerException)
            if (e is SocketException socket) return Describe(socket.SocketErrorCode);
        if (cause.Message.Contains("timeout", StringComparison.OrdinalIgnoreCase))
            return $"timed out (no answer within {timeout.TotalMilliseconds:F0}ms)";
        if (cause.Message.Contains("finishConnect", StringComparison.Ordinal)) return null;
        return cause.Message;
    }

    /// <summary>
    /// Connects once to <paramref name="endpoint"/> and says how it went: the socket error, or that the port accepts
    /// connections now. Never throws; the socket is closed at once.
    /// </summary>
    public static async Task<string> ProbeAsync(EndPoint endpoint, TimeSpan timeout)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(endpoint, cancel.Token).ConfigureAwait(false);
            return "the connect failed in Akka.IO, but the port accepts connections now";
        }
        catch (SocketException e)
        {
            return Describe(e.SocketErrorCode);
        }
        catch (OperationCanceledException)
        {
            return $"timed out (no answer within {timeout.TotalMilliseconds:F0}ms)";
        }
        catch (Exception e)
        {
            return e.Message;
        }
    }

    /// <summary>A socket error in plain words, with its name.</summary>
    public static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused (nothing listens on that port)",
        SocketError.TimedOut => "timed out",
        SocketError.ConnectionReset => "connection reset by the server",
        SocketError.ConnectionAborted => "connection aborted",
        SocketError.NotConnected or SocketError.Shutdown or SocketError.Disconnecting => "connection closed by the server",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable or SocketError.NetworkDown => "network unreachable",
        SocketError.HostNotFound or SocketError.NoData => "unknown host (DNS found no address)",
        SocketError.TryAgain => "host name lookup failed for now (DNS)",
        SocketError.AddressNotAvailable => "address not available",
        SocketError.AccessDenied => "access denied",
        _ => $"socket error {error}",
    };
}
