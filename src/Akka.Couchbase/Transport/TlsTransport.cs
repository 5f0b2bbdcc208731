using System.Net.Security;
using System.Net.Sockets;
using Akka.Actor;

namespace Akka.Couchbase.Transport;

/// <summary>
/// TLS (1.2 or 1.3) over a socket: an <see cref="SslStream"/> driven by async code on the thread pool, no thread
/// of its own. A connect (name lookup, TCP connect, TLS handshake, all within <c>connect-timeout</c>) ends in a
/// message to the owning actor; one read loop per connection tells the actor each chunk read, and its end; each
/// write tells the actor when the stream has taken it; <see cref="ReadLoopTransport{TConnection}"/> turns those
/// messages into listener calls on the actor's thread, as for the socket transport.
/// </summary>
internal sealed class TlsTransport : ReadLoopTransport<SslStream>
{
    private readonly TlsSettings _tls;

    /// <param name="self">The owning actor, to which every outcome is told.</param>
    /// <param name="listener">Who hears of connects, bytes, writes and losses: the owning actor.</param>
    /// <param name="name">The node's address, for messages.</param>
    /// <param name="connectTimeout">Time for the name lookup, the TCP connect and the TLS handshake together.</param>
    /// <param name="tls">Trust and name checks.</param>
    /// <param name="maxBodyLength">The largest response body accepted (<c>max-response-body</c>); larger ones are never read on their own.</param>
    /// <param name="pooling">Value pooling: whether a large Get value read on its own goes into a rented array.</param>
    public TlsTransport(IActorRef self, ITransportListener listener, string name, TimeSpan connectTimeout, TlsSettings tls,
        int maxBodyLength, ValuePoolingSettings pooling)
        : base(self, listener, name, connectTimeout, maxBodyLength, pooling)
    {
        _tls = tls;
    }

    /// <inheritdoc />
    protected override string ConnectFailureIntro => $"could not connect to {Name} over TLS";

    /// <inheritdoc />
    protected override void StartConnect(ConnectAttempt<SslStream> attempt, string host, int port) =>
        _ = ConnectAsync(attempt, host, port, new ServerCertificateCheck(_tls, host), ConnectTimeout, Self);

    /// <inheritdoc />
    protected override void StartReadLoop(SslStream connection, long epoch, ReadDelivery delivery) =>
        _ = ReadLoopAsync(connection, epoch, Self, _tls.ClientCertificate?.Subject, delivery);

    /// <inheritdoc />
    protected override Func<Memory<byte>, ValueTask<int>> ReceiveOf(SslStream connection) =>
        memory => connection.ReadAsync(memory);

    /// <inheritdoc />
    protected override void StartWrite(SslStream connection, byte[] buffer, int length, WriteDone written) =>
        _ = WriteAsync(connection, buffer, length, written, Self);

    private static async Task ConnectAsync(ConnectAttempt<SslStream> attempt, string host, int port, ServerCertificateCheck check,
        TimeSpan timeout, IActorRef self)
    {
        var cancel = attempt.Cancel.Token;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var tcpFailure = (string?)null;
        try
        {
            await socket.ConnectAsync(host, port, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            tcpFailure = $"timed out (no TCP connection within {timeout.TotalMilliseconds:F0}ms)";
        }
        catch (SocketException e)
        {
            tcpFailure = ConnectFailure.Describe(e.SocketErrorCode);
        }
        if (tcpFailure is not null)
        {
            socket.Dispose();
            attempt.Cancel.Dispose();
            self.Tell(new ConnectFailed(attempt, tcpFailure));
            return;
        }

        var raw = new FirstBytesStream(new NetworkStream(socket, ownsSocket: true));
        var ssl = new SslStream(raw, leaveInnerStreamOpen: false);
        object outcome;
        try
        {
            await ssl.AuthenticateAsClientAsync(check.Options(), cancel).ConfigureAwait(false);
            outcome = attempt.TryDeliver(ssl) ? new ConnectSucceeded(attempt, ssl) : new ConnectFailed(attempt, "given up");
        }
        catch (OperationCanceledException)
        {
            outcome = new ConnectFailed(attempt,
                $"the TLS handshake did not finish within {timeout.TotalMilliseconds:F0}ms (connect-timeout)" +
                (raw.First.IsEmpty ? ": the server sent nothing back (does it speak TLS on this port?)" : ""));
        }
        catch (Exception e)
        {
            outcome = new ConnectFailed(attempt, TlsFailure.OfHandshake(e, check.Problem, raw.First));
        }
        finally
        {
            attempt.Cancel.Dispose();
        }
        if (outcome is ConnectFailed) await ssl.DisposeAsync().ConfigureAwait(false);
        self.Tell(outcome);
    }

    // clientCertificate: the subject of the client certificate presented, or null. A server that closes before
    // sending anything may have refused it, which some servers do without a TLS alert.
    private static async Task ReadLoopAsync(SslStream stream, long epoch, IActorRef self, string? clientCertificate,
        ReadDelivery delivery)
    {
        var buffer = new byte[ReadBufferSize];
        var receivedAny = false;
        string cause;
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer).ConfigureAwait(false);
                if (read == 0)
                {
                    cause = receivedAny || clientCertificate is null
                        ? "closed by the server"
                        : "closed by the server before it sent anything, right after the TLS handshake: a server " +
                          $"that requires client certificates closes so when it refuses one (this client presented " +
                          $"'{clientCertificate}'; is it signed by a CA the server trusts, for a user it knows?)";
                    break;
                }
                receivedAny = true;
                // Arrays of their own, never written again: the connection decodes frames from them in place.
                var next = await delivery.DeliverAsync(buffer, read).ConfigureAwait(false);
                if (next is null)
                {
                    cause = "closed by the server";
                    break;
                }
                buffer = next;
            }
        }
        catch (Exception e)
        {
            cause = e is ObjectDisposedException ? "aborted" : TlsFailure.OfConnection(e);
        }
        self.Tell(new ReadEnded(epoch, cause));
    }

    private static async Task WriteAsync(SslStream stream, byte[] buffer, int length, WriteDone written, IActorRef self)
    {
        string? error = null;
        try
        {
            await stream.WriteAsync(buffer.AsMemory(0, length)).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            error = e is ObjectDisposedException ? "aborted" : TlsFailure.OfConnection(e);
        }
        self.Tell(error is null ? written : new WriteDone(written.Epoch, error));
    }
}
