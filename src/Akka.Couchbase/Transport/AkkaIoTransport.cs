using System.Net;
using Akka.Actor;
using Akka.IO;

namespace Akka.Couchbase.Transport;

/// <summary>
/// The default transport: Akka.IO TCP. The Akka.IO connection actor sends its events to the owning actor, which
/// hands them to <see cref="Handle"/>. Connect attempts are matched by reference (a late answer to an attempt given
/// up changes nothing), and each has a deadline of its own: Akka.IO's connection actor can die in its connect
/// without a word (for one, when the server resets the socket as it accepts it). When Akka.IO reports a failed
/// connect without its cause, one probe connect finds the cause (<see cref="ConnectFailure"/>). Once connected,
/// the connection actor is watched: it can stop without a ConnectionClosed. Write acks carry the connection's
/// epoch, so that an ack of a previous connection never frees a buffer of this one.
/// </summary>
internal sealed class AkkaIoTransport : INodeTransport
{
    private sealed class WriteAck : Tcp.Event
    {
        public WriteAck(long epoch) => Epoch = epoch;
        public long Epoch { get; }
    }

    private sealed record ConnectDeadline(Tcp.Connect Attempt) : INoSerializationVerificationNeeded;
    private sealed record ConnectDiagnosed(Tcp.Connect Attempt, string Cause) : INoSerializationVerificationNeeded;

    private const string TimerKey = "akka-io-connect";
    /// <summary>How long after Akka.IO's own connect timeout an attempt that said nothing is given up.</summary>
    private static readonly TimeSpan ConnectDeadlineMargin = TimeSpan.FromMilliseconds(500);

    private readonly IActorContext _context;
    private readonly ITimerScheduler _timers;
    private readonly ITransportListener _listener;
    private readonly string _name;
    private readonly TimeSpan _connectTimeout;
    private Tcp.Connect? _attempt; // the attempt whose outcome is awaited
    private bool _diagnosing; // the attempt failed; a probe is finding out why
    private IActorRef? _connection;
    private long _epoch;
    private WriteAck _ack = new(0);
    private bool _writing;

    /// <param name="context">The owning actor's context (used on its thread only).</param>
    /// <param name="timers">The owning actor's timers (for the connect deadline).</param>
    /// <param name="listener">Who hears of connects, bytes, acks and losses: the owning actor.</param>
    /// <param name="name">The node's address, for messages.</param>
    /// <param name="connectTimeout">Akka.IO's connect timeout (<c>connect-timeout</c>).</param>
    public AkkaIoTransport(IActorContext context, ITimerScheduler timers, ITransportListener listener, string name,
        TimeSpan connectTimeout)
    {
        _context = context;
        _timers = timers;
        _listener = listener;
        _name = name;
        _connectTimeout = connectTimeout;
    }

    /// <inheritdoc />
    public void Connect(string host, int port)
    {
        Abort();
        EndPoint endpoint = IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
        _attempt = new Tcp.Connect(endpoint, timeout: _connectTimeout);
        _context.System.Tcp().Tell(_attempt, _context.Self);
        _timers.StartSingleTimer(TimerKey, new ConnectDeadline(_attempt), _connectTimeout + ConnectDeadlineMargin);
    }

    /// <inheritdoc />
    public void Write(byte[] buffer, int length)
    {
        if (_connection is null) throw new InvalidOperationException($"write to {_name} without a connection");
        _connection.Tell(Tcp.Write.Create(ByteString.FromBytes(buffer, 0, length), _ack));
        _writing = true;
    }

    /// <inheritdoc />
    public void Abort()
    {
        if (_connection is not null)
        {
            _context.Unwatch(_connection);
            _connection.Tell(Tcp.Abort.Instance);
        }
        _connection = null;
        _attempt = null;
        _diagnosing = false;
        _writing = false;
        _epoch++;
        _timers.Cancel(TimerKey);
    }

    /// <inheritdoc />
    public bool Handle(object message, IActorRef sender)
    {
        switch (message)
        {
            case Tcp.Received received:
                if (_connection is not null && sender.Equals(_connection)) OnReceived(received.Data);
                return true;
            case WriteAck ack:
                if (ack.Epoch == _epoch && _writing)
                {
                    _writing = false;
                    _listener.OnWritten();
                }
                return true;
            case Tcp.Connected:
                OnConnected(sender);
                return true;
            case Tcp.CommandFailed { Cmd: Tcp.Connect attempt } failed:
                if (ReferenceEquals(attempt, _attempt) && !_diagnosing) OnConnectFailed(failed, attempt);
                return true;
            case Tcp.CommandFailed failed:
                if (_connection is not null && sender.Equals(_connection)) Lost($"write to {_name} failed{failed.CauseString}");
                return true;
            case ConnectDeadline deadline:
                if (ReferenceEquals(deadline.Attempt, _attempt))
                    FailConnect($"could not connect to {_name}: timed out (no connection within {_connectTimeout.TotalMilliseconds:F0}ms)");
                return true;
            case ConnectDiagnosed diagnosed:
                if (ReferenceEquals(diagnosed.Attempt, _attempt) && _diagnosing)
                    FailConnect($"could not connect to {_name}: {diagnosed.Cause}");
                return true;
            case Tcp.ConnectionClosed closed:
                if (_connection is not null && sender.Equals(_connection)) Lost($"connection to {_name} closed: {Describe(closed)}");
                return true;
            case Terminated terminated when _connection is not null && terminated.ActorRef.Equals(_connection):
                Lost($"connection to {_name} lost: its Akka.IO connection actor stopped");
                return true;
            default:
                return false;
        }
    }

    private void OnReceived(ByteString data)
    {
        // Akka.IO hands over a fresh copy of each read (one array, never written again): frames inside it are
        // decoded without another copy, and results may keep ranges of it.
        if (ReceivedBytes.TryGetSingleSegment(data, out var segment))
        {
            _listener.OnReceived(segment.Array!, segment.Offset, segment.Count, shared: true);
        }
        else
        {
            var copy = data.ToArray();
            _listener.OnReceived(copy, 0, copy.Length, shared: true);
        }
    }

    private void OnConnected(IActorRef connection)
    {
        if (_attempt is null || _diagnosing)
        {
            connection.Tell(Tcp.Abort.Instance); // an attempt given up, or one that already failed
            return;
        }
        _attempt = null;
        _timers.Cancel(TimerKey);
        _context.Watch(connection);
        _connection = connection;
        _epoch++;
        _ack = new WriteAck(_epoch);
        _writing = false;
        connection.Tell(new Tcp.Register(_context.Self, keepOpenOnPeerClosed: false, useResumeWriting: false));
        _listener.OnConnected();
    }

    /// <summary>With a cause Akka.IO kept, the attempt fails at once; without one, a probe finds it (within a new deadline).</summary>
    private void OnConnectFailed(Tcp.CommandFailed failed, Tcp.Connect attempt)
    {
        var cause = ConnectFailure.FromAkkaIo(failed, _connectTimeout);
        if (cause is not null)
        {
            FailConnect($"could not connect to {_name}: {cause}");
            return;
        }
        _diagnosing = true;
        ConnectFailure.ProbeAsync(attempt.RemoteAddress, _connectTimeout)
            .PipeTo(_context.Self, success: c => new ConnectDiagnosed(attempt, c));
        _timers.StartSingleTimer(TimerKey, new ConnectDeadline(attempt), _connectTimeout + ConnectDeadlineMargin);
    }

    private void FailConnect(string message)
    {
        Abort();
        _listener.OnConnectFailed(message);
    }

    private void Lost(string message)
    {
        Abort();
        _listener.OnClosed(message);
    }

    private static string Describe(Tcp.ConnectionClosed closed) => closed switch
    {
        Tcp.ErrorClosed e => (e.Cause ?? "").Contains("reset", StringComparison.OrdinalIgnoreCase)
            ? $"connection reset by the server ({e.Cause})"
            : $"error: {e.Cause}",
        Tcp.PeerClosed => "closed by the server",
        Tcp.Aborted => "aborted",
        _ => closed.GetType().Name,
    };
}
