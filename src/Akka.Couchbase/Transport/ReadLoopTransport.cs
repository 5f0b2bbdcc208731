using System.Buffers;
using Akka.Actor;
using Akka.Event;

namespace Akka.Couchbase.Transport;

/// <summary>
/// What the transports of the client's own (<see cref="SocketTransport"/>, <see cref="TlsTransport"/>) share: a
/// connect that runs as async code and ends in a message to the owning actor, one read loop per connection that
/// tells the actor what it read (<see cref="ReadDelivery"/>) and how it ended, and writes that tell the actor when
/// they were taken. <see cref="Handle"/> turns those messages into listener calls on the actor's thread. Connect
/// attempts are matched by reference and connections by epoch: whatever comes from an attempt given up or a
/// connection aborted is dropped (and what it opened closed). A subclass says how to connect, read and write.
/// </summary>
/// <typeparam name="TConnection">What a connect opens: the socket, or the TLS stream.</typeparam>
internal abstract class ReadLoopTransport<TConnection> : INodeTransport where TConnection : class, IDisposable
{
    protected sealed record ConnectSucceeded(ConnectAttempt<TConnection> Attempt, TConnection Connection)
        : INoSerializationVerificationNeeded, IDeadLetterSuppression;
    protected sealed record ConnectFailed(ConnectAttempt<TConnection> Attempt, string Cause)
        : INoSerializationVerificationNeeded, IDeadLetterSuppression;
    protected sealed record Received(long Epoch, byte[] Data, int Count) : INoSerializationVerificationNeeded, IDeadLetterSuppression;
    protected sealed record ReceivedFrame(long Epoch, byte[] Array, int Length, ArrayPool<byte>? RentedFrom)
        : INoSerializationVerificationNeeded, IDeadLetterSuppression;
    protected sealed record ReadEnded(long Epoch, string Cause) : INoSerializationVerificationNeeded, IDeadLetterSuppression;
    protected sealed record WriteDone(long Epoch, string? Error) : INoSerializationVerificationNeeded, IDeadLetterSuppression;

    /// <summary>The read loop's buffer: the most one read takes (as Akka.IO's <c>maximum-frame-size</c>).</summary>
    internal const int ReadBufferSize = ReadDelivery.BufferSize;

    private readonly ITransportListener _listener;
    private readonly int _maxBodyLength;
    private readonly ValuePoolingSettings _pooling;
    private ConnectAttempt<TConnection>? _attempt;
    private TConnection? _connection;
    private long _epoch;
    private bool _writing;
    // The report of a write that went well, made once per connection: a write allocates nothing of its own.
    private WriteDone _written = new(0, null);

    /// <param name="self">The owning actor, to which every outcome is told.</param>
    /// <param name="listener">Who hears of connects, bytes, writes and losses: the owning actor.</param>
    /// <param name="name">The node's address, for messages.</param>
    /// <param name="connectTimeout">Time for the whole connect.</param>
    /// <param name="maxBodyLength">The largest response body accepted (<c>max-response-body</c>); larger ones are never read on their own.</param>
    /// <param name="pooling">Value pooling: whether a large Get value read on its own goes into a rented array.</param>
    protected ReadLoopTransport(IActorRef self, ITransportListener listener, string name, TimeSpan connectTimeout,
        int maxBodyLength, ValuePoolingSettings pooling)
    {
        Self = self;
        _listener = listener;
        Name = name;
        ConnectTimeout = connectTimeout;
        _maxBodyLength = maxBodyLength;
        _pooling = pooling;
    }

    /// <summary>The owning actor.</summary>
    protected IActorRef Self { get; }

    /// <summary>The node's address, for messages.</summary>
    protected string Name { get; }

    /// <summary>Time for the whole connect.</summary>
    protected TimeSpan ConnectTimeout { get; }

    /// <summary>How a failed connect begins its message: "could not connect to host:port", and how.</summary>
    protected abstract string ConnectFailureIntro { get; }

    /// <summary>Starts the connect of <paramref name="attempt"/>; it ends in a <see cref="ConnectSucceeded"/> or <see cref="ConnectFailed"/> told to <see cref="Self"/>.</summary>
    protected abstract void StartConnect(ConnectAttempt<TConnection> attempt, string host, int port);

    /// <summary>Starts the read loop of a new connection; it tells <see cref="Self"/> what it reads through <paramref name="delivery"/>, then a <see cref="ReadEnded"/>.</summary>
    protected abstract void StartReadLoop(TConnection connection, long epoch, ReadDelivery delivery);

    /// <summary>Starts a write; it ends in <paramref name="written"/> (or a <see cref="WriteDone"/> with its error) told to <see cref="Self"/>.</summary>
    protected abstract void StartWrite(TConnection connection, byte[] buffer, int length, WriteDone written);

    /// <inheritdoc />
    public void Connect(string host, int port)
    {
        Abort();
        var attempt = new ConnectAttempt<TConnection>(ConnectTimeout);
        _attempt = attempt;
        StartConnect(attempt, host, port);
    }

    /// <inheritdoc />
    public void Write(byte[] buffer, int length)
    {
        if (_connection is null) throw new InvalidOperationException($"write to {Name} without a connection");
        _writing = true;
        StartWrite(_connection, buffer, length, _written);
    }

    /// <inheritdoc />
    public void Abort()
    {
        _attempt?.Abandon();
        _attempt = null;
        _connection?.Dispose(); // ends its read loop and any write; their reports carry an old epoch
        _connection = null;
        _writing = false;
        _epoch++;
    }

    /// <inheritdoc />
    public bool Handle(object message, IActorRef sender)
    {
        switch (message)
        {
            case Received received:
                if (received.Epoch == _epoch && _connection is not null)
                    _listener.OnReceived(received.Data, 0, received.Count, shared: true);
                return true;
            case ReceivedFrame frame:
                if (frame.Epoch == _epoch && _connection is not null)
                    _listener.OnReceivedFrame(frame.Array, frame.Length, frame.RentedFrom);
                return true;
            case WriteDone done:
                if (done.Epoch == _epoch && _connection is not null && _writing)
                {
                    _writing = false;
                    if (done.Error is null) _listener.OnWritten();
                    else Lost($"write to {Name} failed: {done.Error}");
                }
                return true;
            case ReadEnded ended:
                if (ended.Epoch == _epoch && _connection is not null) Lost($"connection to {Name} closed: {ended.Cause}");
                return true;
            case ConnectSucceeded succeeded:
                if (ReferenceEquals(succeeded.Attempt, _attempt)) OnConnected(succeeded.Connection);
                else succeeded.Connection.Dispose(); // an attempt given up
                return true;
            case ConnectFailed failed:
                if (ReferenceEquals(failed.Attempt, _attempt))
                {
                    Abort();
                    _listener.OnConnectFailed($"{ConnectFailureIntro}: {failed.Cause}");
                }
                return true;
            default:
                return false;
        }
    }

    private void OnConnected(TConnection connection)
    {
        _attempt = null;
        _connection = connection;
        _epoch++;
        _written = new WriteDone(_epoch, null);
        _writing = false;
        var (self, epoch) = (Self, _epoch);
        StartReadLoop(connection, epoch, new ReadDelivery(_maxBodyLength, _pooling, ReceiveOf(connection),
            (data, count) => self.Tell(new Received(epoch, data, count)),
            (frame, length, rentedFrom) => self.Tell(new ReceivedFrame(epoch, frame, length, rentedFrom))));
        _listener.OnConnected();
    }

    /// <summary>How the read loop of <paramref name="connection"/> reads into the memory given (0 at its end).</summary>
    protected abstract Func<Memory<byte>, ValueTask<int>> ReceiveOf(TConnection connection);

    private void Lost(string message)
    {
        Abort();
        _listener.OnClosed(message);
    }
}
