using System.Net.Security;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;

namespace Akka.Couchbase.Transport;

/// <summary>
/// TLS (1.2 or 1.3) over a socket: an <see cref="SslStream"/> driven by async code on the thread pool, no thread
/// of its own. A connect (name lookup, TCP connect, TLS handshake, all within <c>connect-timeout</c>) ends in a
/// message to the owning actor; one read loop per connection tells the actor each chunk read, and its end; each
/// write tells the actor when the stream has taken it. <see cref="Handle"/> turns those messages into listener
/// calls on the actor's thread. Connect attempts are matched by reference and connections by epoch: whatever comes
/// from an attempt given up or a connection aborted is dropped (and its socket closed).
/// </summary>
internal sealed class TlsTransport : INodeTransport
{
    private sealed record ConnectSucceeded(ConnectAttempt<SslStream> Attempt, SslStream Stream) : INoSerializationVerificationNeeded, IDeadLetterSuppression;
    private sealed record ConnectFailed(ConnectAttempt<SslStream> Attempt, string Cause) : INoSerializationVerificationNeeded, IDeadLetterSuppression;
    private sealed record Received(long Epoch, byte[] Data) : INoSerializationVerificationNeeded, IDeadLetterSuppression;
    private sealed record ReceivedFrame(long Epoch, byte[] Array, int Length, System.Buffers.ArrayPool<byte>? RentedFrom)
        : INoSerializationVerificationNeeded, IDeadLetterSuppression;
    private sealed record ReadEnded(long Epoch, string Cause) : INoSerializationVerificationNeeded, IDeadLetterSuppression;
    private sealed record WriteDone(long Epoch, string? Error) : INoSerializationVerificationNeeded, IDeadLetterSuppression;

    private const int ReadBufferSize = 64 * 1024;

    private readonly IActorRef _self;
    private readonly ITransportListener _listener;
    private readonly string _name;
    private readonly TimeSpan _connectTimeout;
    private readonly TlsSettings _tls;
    private readonly int _maxBodyLength;
    private readonly ValuePoolingSettings _pooling;
    private ConnectAttempt<SslStream>? _attempt;
    private SslStream? _stream;
    private long _epoch;
    private bool _writing;

    /// <param name="self">The owning actor, to which every outcome is told.</param>
    /// <param name="listener">Who hears of connects, bytes, writes and losses: the owning actor.</param>
    /// <param name="name">The node's address, for messages.</param>
    /// <param name="connectTimeout">Time for the name lookup, the TCP connect and the TLS handshake together.</param>
    /// <param name="tls">Trust and name checks.</param>
    /// <param name="maxBodyLength">The largest response body accepted (<c>max-response-body</c>); larger ones are never read on their own.</param>
    /// <param name="pooling">Value pooling: whether a large Get value read on its own goes into a rented array.</param>
    public TlsTransport(IActorRef self, ITransportListener listener, string name, TimeSpan connectTimeout, TlsSettings tls,
        int maxBodyLength, ValuePoolingSettings pooling)
    {
        _maxBodyLength = maxBodyLength;
        _pooling = pooling;
        _self = self;
        _listener = listener;
        _name = name;
        _connectTimeout = connectTimeout;
        _tls = tls;
    }

    /// <inheritdoc />
    public void Connect(string host, int port)
    {
        Abort();
        var attempt = new ConnectAttempt<SslStream>(_connectTimeout);
        _attempt = attempt;
        _ = ConnectAsync(attempt, host, port, new ServerCertificateCheck(_tls, host), _connectTimeout, _self);
    }

    /// <inheritdoc />
    public void Write(byte[] buffer, int length)
    {
        if (_stream is null) throw new InvalidOperationException($"write to {_name} without a connection");
        _writing = true;
        _ = WriteAsync(_stream, buffer, length, _epoch, _self);
    }

    /// <inheritdoc />
    public void Abort()
    {
        _attempt?.Abandon();
        _attempt = null;
        _stream?.Dispose(); // ends its read loop and any write; their reports carry an old epoch
        _stream = null;
        _writing = false;
        _epoch++;
    }

    /// <inheritdoc />
    public bool Handle(object message, IActorRef sender)
    {
        switch (message)
        {
            case Received received:
                if (received.Epoch == _epoch && _stream is not null)
                    _listener.OnReceived(received.Data, 0, received.Data.Length, shared: true);
                return true;
            case ReceivedFrame frame:
                if (frame.Epoch == _epoch && _stream is not null)
                    _listener.OnReceivedFrame(frame.Array, frame.Length, frame.RentedFrom);
                return true;
            case WriteDone done:
                if (done.Epoch == _epoch && _stream is not null && _writing)
                {
                    _writing = false;
                    if (done.Error is null) _listener.OnWritten();
                    else Lost($"write to {_name} failed: {done.Error}");
                }
                return true;
            case ReadEnded ended:
                if (ended.Epoch == _epoch && _stream is not null) Lost($"connection to {_name} closed: {ended.Cause}");
                return true;
            case ConnectSucceeded succeeded:
                if (ReferenceEquals(succeeded.Attempt, _attempt)) OnConnected(succeeded.Stream);
                else succeeded.Stream.Dispose(); // an attempt given up
                return true;
            case ConnectFailed failed:
                if (ReferenceEquals(failed.Attempt, _attempt))
                {
                    Abort();
                    _listener.OnConnectFailed($"could not connect to {_name} over TLS: {failed.Cause}");
                }
                return true;
            default:
                return false;
        }
    }

    private void OnConnected(SslStream stream)
    {
        _attempt = null;
        _stream = stream;
        _epoch++;
        _writing = false;
        var (self, epoch) = (_self, _epoch);
        _ = ReadLoopAsync(stream, epoch, self, _tls.ClientCertificate?.Subject,
            new ReadDelivery(_maxBodyLength, _pooling, memory => stream.ReadAsync(memory),
                data => self.Tell(new Received(epoch, data)),
                (frame, length, rentedFrom) => self.Tell(new ReceivedFrame(epoch, frame, length, rentedFrom))));
        _listener.OnConnected();
    }

    private void Lost(string message)
    {
        Abort();
        _listener.OnClosed(message);
    }

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
                if (!await delivery.DeliverAsync(buffer, read).ConfigureAwait(false))
                {
                    cause = "closed by the server";
                    break;
                }
            }
        }
        catch (Exception e)
        {
            cause = e is ObjectDisposedException ? "aborted" : TlsFailure.OfConnection(e);
        }
        self.Tell(new ReadEnded(epoch, cause));
    }

    private static async Task WriteAsync(SslStream stream, byte[] buffer, int length, long epoch, IActorRef self)
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
        self.Tell(new WriteDone(epoch, error));
    }
}
