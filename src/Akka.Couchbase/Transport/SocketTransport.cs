using System.Buffers;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;

namespace Akka.Couchbase.Transport;

/// <summary>
/// Plain TCP straight on a <see cref="Socket"/> (<c>akka.couchbase.transport = socket</c>), for services that send
/// few commands at a time and want each one's latency and CPU low. Akka.IO's connection actor is a hop of its own
/// on both ways of every round trip (a write goes through its mailbox, and so does each read, before they reach the
/// owning actor); here a write is handed to the socket on the owning actor's thread, and each read is told to the
/// owning actor by the read loop that took it. One read loop per connection runs as async code on the thread pool,
/// no thread of its own. Each read is copied once out of the loop's buffer into an array of its own (never written
/// again, so frames are decoded from it in place, and results may keep ranges of it), without zeroing it first. A
/// large response that a read begins but does not finish (at least <see cref="ReadDelivery.MinDirectBytes"/> of it
/// unread) is read on its own, the rest of it straight from the socket into an array of the frame's size (rented from the
/// value pool for a successful Get with value pooling on): the value is copied once, by the kernel, instead of
/// into the loop's buffer, out of it, and again when the frame is assembled from several reads.
/// Connect attempts are matched by reference and connections by epoch: whatever comes from an attempt given up or a
/// connection aborted is dropped, and its socket closed.
/// </summary>
internal sealed class SocketTransport : INodeTransport
{
    private sealed record ConnectSucceeded(ConnectAttempt<Socket> Attempt, Socket Socket) : INoSerializationVerificationNeeded, IDeadLetterSuppression;
    private sealed record ConnectFailed(ConnectAttempt<Socket> Attempt, string Cause) : INoSerializationVerificationNeeded, IDeadLetterSuppression;
    private sealed record Received(long Epoch, byte[] Data) : INoSerializationVerificationNeeded, IDeadLetterSuppression;
    private sealed record ReceivedFrame(long Epoch, byte[] Array, int Length, ArrayPool<byte>? RentedFrom)
        : INoSerializationVerificationNeeded, IDeadLetterSuppression;
    private sealed record ReadEnded(long Epoch, string Cause) : INoSerializationVerificationNeeded, IDeadLetterSuppression;
    private sealed record WriteDone(long Epoch, string? Error) : INoSerializationVerificationNeeded, IDeadLetterSuppression;

    /// <summary>The read loop's buffer: the most one read takes (as Akka.IO's <c>maximum-frame-size</c>).</summary>
    internal const int ReadBufferSize = 64 * 1024;

    private readonly IActorRef _self;
    private readonly ITransportListener _listener;
    private readonly string _name;
    private readonly TimeSpan _connectTimeout;
    private readonly int _maxBodyLength;
    private readonly ValuePoolingSettings _pooling;
    private ConnectAttempt<Socket>? _attempt;
    private Socket? _socket;
    private long _epoch;
    private bool _writing;
    // The report of a write that went well, made once per connection: a write allocates nothing of its own.
    private WriteDone _written = new(0, null);

    /// <param name="self">The owning actor, to which every outcome is told.</param>
    /// <param name="listener">Who hears of connects, bytes, writes and losses: the owning actor.</param>
    /// <param name="name">The node's address, for messages.</param>
    /// <param name="connectTimeout">Time for the name lookup and the TCP connect together.</param>
    /// <param name="maxBodyLength">The largest response body accepted (<c>max-response-body</c>); larger ones are never read on their own.</param>
    /// <param name="pooling">Value pooling: whether a large Get value read on its own goes into a rented array.</param>
    public SocketTransport(IActorRef self, ITransportListener listener, string name, TimeSpan connectTimeout,
        int maxBodyLength, ValuePoolingSettings pooling)
    {
        _self = self;
        _listener = listener;
        _name = name;
        _connectTimeout = connectTimeout;
        _maxBodyLength = maxBodyLength;
        _pooling = pooling;
    }

    /// <inheritdoc />
    public void Connect(string host, int port)
    {
        Abort();
        var attempt = new ConnectAttempt<Socket>(_connectTimeout);
        _attempt = attempt;
        _ = ConnectAsync(attempt, host, port, _connectTimeout, _self);
    }

    /// <inheritdoc />
    public void Write(byte[] buffer, int length)
    {
        if (_socket is null) throw new InvalidOperationException($"write to {_name} without a connection");
        _writing = true;
        _ = WriteAsync(_socket, buffer, length, _written, _self);
    }

    /// <inheritdoc />
    public void Abort()
    {
        _attempt?.Abandon();
        _attempt = null;
        _socket?.Dispose(); // ends its read loop and any write; their reports carry an old epoch
        _socket = null;
        _writing = false;
        _epoch++;
    }

    /// <inheritdoc />
    public bool Handle(object message, IActorRef sender)
    {
        switch (message)
        {
            case Received received:
                if (received.Epoch == _epoch && _socket is not null)
                    _listener.OnReceived(received.Data, 0, received.Data.Length, shared: true);
                return true;
            case ReceivedFrame frame:
                if (frame.Epoch == _epoch && _socket is not null)
                    _listener.OnReceivedFrame(frame.Array, frame.Length, frame.RentedFrom);
                return true;
            case WriteDone done:
                if (done.Epoch == _epoch && _socket is not null && _writing)
                {
                    _writing = false;
                    if (done.Error is null) _listener.OnWritten();
                    else Lost($"write to {_name} failed: {done.Error}");
                }
                return true;
            case ReadEnded ended:
                if (ended.Epoch == _epoch && _socket is not null) Lost($"connection to {_name} closed: {ended.Cause}");
                return true;
            case ConnectSucceeded succeeded:
                if (ReferenceEquals(succeeded.Attempt, _attempt)) OnConnected(succeeded.Socket);
                else succeeded.Socket.Dispose(); // an attempt given up
                return true;
            case ConnectFailed failed:
                if (ReferenceEquals(failed.Attempt, _attempt))
                {
                    Abort();
                    _listener.OnConnectFailed($"could not connect to {_name}: {failed.Cause}");
                }
                return true;
            default:
                return false;
        }
    }

    private void OnConnected(Socket socket)
    {
        _attempt = null;
        _socket = socket;
        _epoch++;
        _written = new WriteDone(_epoch, null);
        _writing = false;
        _ = ReadLoopAsync(socket, _epoch, _self, _maxBodyLength, _pooling);
        _listener.OnConnected();
    }

    private void Lost(string message)
    {
        Abort();
        _listener.OnClosed(message);
    }

    private static async Task ConnectAsync(ConnectAttempt<Socket> attempt, string host, int port, TimeSpan timeout, IActorRef self)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        object outcome;
        try
        {
            await socket.ConnectAsync(host, port, attempt.Cancel.Token).ConfigureAwait(false);
            outcome = attempt.TryDeliver(socket) ? new ConnectSucceeded(attempt, socket) : new ConnectFailed(attempt, "given up");
        }
        catch (OperationCanceledException)
        {
            outcome = new ConnectFailed(attempt, $"timed out (no connection within {timeout.TotalMilliseconds:F0}ms)");
        }
        catch (SocketException e)
        {
            outcome = new ConnectFailed(attempt, ConnectFailure.Describe(e.SocketErrorCode));
        }
        catch (Exception e)
        {
            outcome = new ConnectFailed(attempt, e.Message);
        }
        finally
        {
            attempt.Cancel.Dispose();
        }
        if (outcome is ConnectFailed) socket.Dispose();
        self.Tell(outcome);
    }

    private static async Task ReadLoopAsync(Socket socket, long epoch, IActorRef self, int maxBodyLength,
        ValuePoolingSettings pooling)
    {
        var buffer = new byte[ReadBufferSize];
        var delivery = new ReadDelivery(maxBodyLength, pooling,
            memory => socket.ReceiveAsync(memory, SocketFlags.None),
            data => self.Tell(new Received(epoch, data)),
            (frame, length, rentedFrom) => self.Tell(new ReceivedFrame(epoch, frame, length, rentedFrom)));
        string cause;
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (read == 0 || !await delivery.DeliverAsync(buffer, read).ConfigureAwait(false))
                {
                    cause = "closed by the server";
                    break;
                }
            }
        }
        catch (SocketException e)
        {
            cause = ConnectFailure.Describe(e.SocketErrorCode);
        }
        catch (ObjectDisposedException)
        {
            cause = "aborted";
        }
        catch (Exception e)
        {
            cause = e.Message;
        }
        self.Tell(new ReadEnded(epoch, cause));
    }

    // Runs on the owning actor's thread until the socket takes the bytes (at once, unless its send buffer is full):
    // a write that completes there allocates nothing but its report, which is made once per connection.
    private static async Task WriteAsync(Socket socket, byte[] buffer, int length, WriteDone written, IActorRef self)
    {
        string? error = null;
        try
        {
            var sent = 0;
            while (sent < length)
            {
                var taken = await socket.SendAsync(buffer.AsMemory(sent, length - sent), SocketFlags.None).ConfigureAwait(false);
                if (taken <= 0)
                {
                    error = "the socket took no bytes";
                    break;
                }
                sent += taken;
            }
        }
        catch (SocketException e)
        {
            error = ConnectFailure.Describe(e.SocketErrorCode);
        }
        catch (ObjectDisposedException)
        {
            error = "aborted";
        }
        self.Tell(error is null ? written : new WriteDone(written.Epoch, error));
    }
}
