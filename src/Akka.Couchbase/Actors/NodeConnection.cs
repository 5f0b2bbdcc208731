using System.Diagnostics;
using System.Net;
using Akka.Actor;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Transcoding;
using Akka.Event;
using Akka.IO;
using Akka.Couchbase.Pipeline;
using Akka.Couchbase.Transport;

namespace Akka.Couchbase.Actors;

/// <summary>
/// One socket to one node, on Akka.IO TCP. Connects (with a timeout), runs the <see cref="Handshake"/>, then keeps
/// many requests in flight, matched by opaque; frames are coalesced into one write while the previous write awaits
/// its ack. Requests beyond the in-flight limit wait in a bounded queue; beyond that they fail at once. One timer
/// checks every deadline, and runs only while the connection holds a request. When the socket is lost, written
/// mutations fail as ambiguous, everything else waits (in order) for the reconnect, which comes after a jittered
/// exponential backoff; a request whose deadline passes meanwhile fails (node-unavailable if it was never written,
/// timeout if it was). Every state that waits has a deadline of its own (connect, handshake, reconnect) and the
/// Akka.IO connection actor is watched, so every way out of a socket ends in a scheduled reconnect. The backoff
/// starts over only after a connection has stayed up for <c>reconnect-reset-after</c>, not after a handshake. Whatever
/// it still holds when it stops is failed in <see cref="PostStop"/>.
/// </summary>
internal sealed partial class NodeConnection : UntypedActor, IWithTimers
{
    /// <summary>The ack of one connection's writes (a stale ack from a previous socket must not free a buffer).</summary>
    private sealed class WriteAck : Tcp.Event
    {
        public WriteAck(long connection) => Connection = connection;
        public long Connection { get; }
    }

    private sealed class Reconnect { public static readonly Reconnect Instance = new(); }
    private sealed class HandshakeTimeout { public static readonly HandshakeTimeout Instance = new(); }
    private sealed class DeadlineTick { public static readonly DeadlineTick Instance = new(); }
    private sealed class ConnectDeadline { public static readonly ConnectDeadline Instance = new(); }
    private sealed record ConnectDiagnosed(Tcp.Connect Attempt, string Cause);

    /// <summary>How long after Akka.IO's own connect timeout this actor gives up on an attempt that said nothing.</summary>
    private static readonly TimeSpan ConnectDeadlineMargin = TimeSpan.FromMilliseconds(500);

    private enum State { Connecting, Handshaking, Ready, Disconnected }

    private readonly int _nodeIndex;
    private readonly string _host;
    private readonly int _port;
    private readonly string _name;
    private readonly CouchbaseSettings _settings;
    private readonly ITranscoder _transcoder;
    private readonly bool _fetchConfig;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<uint, KvRequest> _inFlight = new();
    private readonly LinkedList<KvRequest> _waiting = new();
    private readonly List<RawFrame> _frames = new();
    private readonly List<KvRequest> _batchRequests = new();

    private State _state = State.Connecting;
    private IActorRef? _connection;
    private FrameDecoder _decoder;
    private Handshake? _handshake;
    private bool _jsonNegotiated;
    private byte[] _outbox;
    private int _outboxLength;
    private bool _writePending;
    // Writes are not copied: the batch array itself is handed to Akka.IO, which sends from it and acks once the
    // socket has taken every byte; only then is the array reused (two arrays take turns). An array whose write
    // was never acked (the connection was lost) is abandoned, never reused.
    private byte[]? _inWrite;
    private byte[]? _spare;
    private WriteAck _writeAck = new(0);
    private uint _nextOpaque;
    private int _reconnectAttempt;
    private bool _closing;
    private Exception? _lastError;
    private long _connectionCounter;
    private bool _authenticateFirst;
    private ErrorMap? _errorMap; // the server's, from the handshake (servers that acknowledged XERROR)
    private Tcp.Connect? _pendingConnect; // the attempt whose Connected or CommandFailed is awaited
    private Tcp.Connect? _diagnosing; // the failed attempt whose cause a probe is finding out
    private long _readySince; // Stopwatch timestamp of the last handshake's end; 0 while not ready
    private bool _deadlineTimerOn;
    private Exception? _restartReason;
    private readonly CoordinatedShutdown _shutdown = CoordinatedShutdown.Get(Context.System);
    private readonly byte[] _bucketName; // UTF-8, as pushed cluster maps name their bucket

    public NodeConnection(int nodeIndex, string host, int port, CouchbaseSettings settings, ITranscoder transcoder,
        bool fetchConfig)
    {
        _nodeIndex = nodeIndex;
        _host = host;
        _port = port;
        _name = host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
        _settings = settings;
        _transcoder = transcoder;
        _fetchConfig = fetchConfig;
        _decoder = new FrameDecoder(settings.MaxResponseBody);
        _outbox = new byte[Math.Min(64 * 1024, settings.MaxWriteBatchBytes)];
        _bucketName = System.Text.Encoding.UTF8.GetBytes(settings.Bucket);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(int nodeIndex, string host, int port, CouchbaseSettings settings, ITranscoder transcoder,
        bool fetchConfig) =>
        Akka.Actor.Props.Create(() => new NodeConnection(nodeIndex, host, port, settings, transcoder, fetchConfig))
            .WithDispatcher(settings.Dispatcher);

    private int QueueDepth => _waiting.Count;

    protected override void PreStart() => Connect();

    protected override void PreRestart(Exception reason, object message)
    {
        _restartReason = reason;
        base.PreRestart(reason, message);
    }

    /// <summary>
    /// Answers everything still held: written mutations are ambiguous; the rest fail as "client stopped" when the
    /// client stops, or as node-unavailable when this actor is restarted after a failure of its own.
    /// </summary>
    protected override void PostStop()
    {
        var held = _inFlight.Values.OrderBy(r => r.Opaque).Concat(_waiting).ToList();
        _inFlight.Clear();
        _waiting.Clear();
        var why = _restartReason is null
            ? "the client stopped"
            : $"the connection to {_name} was restarted after an error ({_restartReason.Message})";
        foreach (var request in held)
        {
            if (request.IsAmbiguousIfLost) request.FailAmbiguous(why, 0, 0);
            else if (_restartReason is null)
                request.Fail(new KvClientStoppedException(
                    $"{request.Opcode} '{request.Key}' not answered: {why}", request.Context(0, 0)));
            else
                FailUnavailable(request, why);
        }
        _connection?.Tell(Tcp.Abort.Instance);
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case KvRequest request:
                Enqueue(request);
                break;
            case Tcp.Received received:
                OnReceived(received.Data);
                break;
            case WriteAck ack when ack.Connection == _connectionCounter && _writePending:
                _writePending = false;
                if (_inWrite is not null && _inWrite.Length <= 4 * _settings.MaxWriteBatchBytes) _spare = _inWrite;
                _inWrite = null;
                Pump();
                break;
            case WriteAck:
                break;
            case DeadlineTick:
                SweepDeadlines();
                break;
            case Tcp.Connected:
                OnConnected(Sender);
                break;
            case Tcp.CommandFailed { Cmd: Tcp.Connect } failed:
                // Matched by reference: a late failure of an attempt this actor already gave up on changes nothing.
                if (ReferenceEquals(failed.Cmd, _pendingConnect)) OnConnectFailed(failed);
                break;
            case Tcp.CommandFailed failed when _connection is not null && Sender.Equals(_connection):
                OnLost(new KvNodeUnavailableException($"write to {_name} failed{failed.CauseString}"));
                break;
            case Tcp.CommandFailed:
                break;
            case ConnectDeadline when _state == State.Connecting:
                OnLost(new KvNodeUnavailableException(
                    $"could not connect to {_name}: timed out (no connection within {_settings.ConnectTimeout.TotalMilliseconds:F0}ms)"));
                break;
            case ConnectDeadline:
                break;
            case ConnectDiagnosed diagnosed when ReferenceEquals(diagnosed.Attempt, _diagnosing) && _state == State.Connecting:
                OnLost(new KvNodeUnavailableException($"could not connect to {_name}: {diagnosed.Cause}"));
                break;
            case ConnectDiagnosed:
                break;
            case Tcp.ConnectionClosed closed when Sender.Equals(_connection):
                OnLost(new KvNodeUnavailableException($"connection to {_name} closed: {Describe(closed)}"));
                break;
            case Tcp.ConnectionClosed:
                break;
            case Terminated terminated when terminated.ActorRef.Equals(_connection):
                // Akka.IO's connection actor can stop without a ConnectionClosed (it does not restart).
                OnLost(new KvNodeUnavailableException($"connection to {_name} lost: its Akka.IO connection actor stopped"));
                break;
            case Terminated:
                break;
            case HandshakeTimeout when _state == State.Handshaking:
                OnLost(new KvNodeUnavailableException(
                    $"handshake with {_name} did not finish within {_settings.HandshakeTimeout.TotalMilliseconds}ms"));
                break;
            case HandshakeTimeout:
                break;
            case Reconnect when _state == State.Disconnected:
                Connect();
                break;
            case Reconnect:
                break;
            case NodeMessages.Fence fence:
                EnqueueInternal(Opcode.Noop, "fence", new FenceSink(Context.Parent, _nodeIndex, fence.Token));
                break;
            case NodeMessages.FetchConfig:
                if (_settings.BucketType == BucketType.Couchbase)
                    EnqueueInternal(Opcode.GetClusterConfig, "config", new ConfigSink(Context.Parent, _nodeIndex));
                break;
            case NodeMessages.Close:
                BeginClose();
                break;
            default:
                Unhandled(message);
                break;
        }
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

    private void Connect()
    {
        _state = State.Connecting;
        EndPoint endpoint = IPAddress.TryParse(_host, out var ip) ? new IPEndPoint(ip, _port) : new DnsEndPoint(_host, _port);
        _pendingConnect = new Tcp.Connect(endpoint, timeout: _settings.ConnectTimeout);
        _diagnosing = null;
        Context.System.Tcp().Tell(_pendingConnect, Self);
        // Akka.IO's connection actor can die without a word (for one, when the server resets the socket as it
        // accepts it): this deadline ends every attempt.
        Timers.StartSingleTimer("connect", ConnectDeadline.Instance, _settings.ConnectTimeout + ConnectDeadlineMargin);
    }

    /// <summary>
    /// The attempt failed: with a cause Akka.IO kept, the connection is lost at once; without one, one probe connect
    /// finds the cause first (within the same deadline).
    /// </summary>
    private void OnConnectFailed(Tcp.CommandFailed failed)
    {
        var attempt = (Tcp.Connect)failed.Cmd;
        _pendingConnect = null;
        var cause = ConnectFailure.FromAkkaIo(failed, _settings.ConnectTimeout);
        if (cause is not null)
        {
            OnLost(new KvNodeUnavailableException($"could not connect to {_name}: {cause}"));
            return;
        }
        _diagnosing = attempt;
        ConnectFailure.ProbeAsync(attempt.RemoteAddress, _settings.ConnectTimeout)
            .PipeTo(Self, success: c => new ConnectDiagnosed(attempt, c));
        Timers.StartSingleTimer("connect", ConnectDeadline.Instance, _settings.ConnectTimeout + ConnectDeadlineMargin);
    }

    private void OnConnected(IActorRef connection)
    {
        if (_state != State.Connecting || _pendingConnect is null)
        {
            connection.Tell(Tcp.Abort.Instance);
            return;
        }
        _pendingConnect = null;
        Timers.Cancel("connect");
        Context.Watch(connection);
        _connection = connection;
        _connectionCounter++;
        _writeAck = new WriteAck(_connectionCounter);
        _inWrite = null;
        connection.Tell(new Tcp.Register(Self, keepOpenOnPeerClosed: false, useResumeWriting: false));
        _decoder = new FrameDecoder(_settings.MaxResponseBody);
        _state = State.Handshaking;
        _writePending = false;
        _outboxLength = 0;
        _handshake = new Handshake(_settings, $"{Self.Path.Uid:x16}/{_connectionCounter:x16}", _fetchConfig,
            _authenticateFirst);
        foreach (var frame in _handshake.Start()) AppendRaw(frame);
        _nextOpaque = _handshake.LastOpaque + 100;
        Flush();
        Timers.StartSingleTimer("handshake", HandshakeTimeout.Instance, _settings.HandshakeTimeout);
    }

    private void OnReceived(ByteString data)
    {
        if (_state is not (State.Handshaking or State.Ready)) return;
        _frames.Clear();
        try
        {
            // Akka.IO hands over a fresh copy of each read (one buffer, never written again): frames inside it are
            // decoded without another copy, and results may keep ranges of it (see ResponseMapper).
            if (ReceivedBytes.TryGetSingleSegment(data, out var segment))
            {
                _decoder.FeedShared(segment.Array!, segment.Offset, segment.Count, _frames);
            }
            else
            {
                _decoder.FeedCopying(data.ToReadOnlySpan(), _frames);
            }
        }
        catch (ProtocolException e)
        {
            // Frames decoded before the bad bytes are still answered.
            for (var i = 0; i < _frames.Count; i++) OnFrame(_frames[i]);
            _frames.Clear();
            ProtocolFailure(e.Message);
            return;
        }
        using (TaskCompletions.Deferred())
        {
            for (var i = 0; i < _frames.Count; i++)
            {
                if (_state is not (State.Handshaking or State.Ready)) break;
                OnFrame(_frames[i]);
            }
        }
        _frames.Clear();
        if (_closing && _inFlight.Count == 0)
        {
            FinishClose();
            return;
        }
        Pump();
    }

    private void OnFrame(in RawFrame frame)
    {
        if (frame.Magic == Magic.ServerRequest)
        {
            OnServerPush(frame);
            return;
        }
        if (!frame.IsResponse)
        {
            ProtocolFailure($"received a frame with request magic 0x{frame.Magic:x2} from the server");
            return;
        }
        if (_state == State.Handshaking)
        {
            OnHandshakeFrame(frame.ToFrame());
            return;
        }
        if (frame.Opcode == Opcode.Stat && frame.KeyLength > 0 && frame.Status == KvStatus.Success &&
            _inFlight.TryGetValue(frame.Opaque, out var stat) && stat.Sink is StatsCollector.NodeSink statSink)
        {
            statSink.Add(frame); // one statistic; the frame without a key that ends them answers the request below
            return;
        }
        if (!_inFlight.Remove(frame.Opaque, out var request))
        {
            if (frame.Opaque > _nextOpaque)
                ProtocolFailure($"response with opaque {frame.Opaque} that was never sent");
            // Otherwise: the answer to a request whose deadline already passed.
            return;
        }
        if (frame.Opcode != request.Opcode)
        {
            _inFlight[frame.Opaque] = request;
            ProtocolFailure($"response opcode {frame.Opcode} does not match request {request.Opcode} (opaque {frame.Opaque})");
            return;
        }
        if (request.Sink is IInternalSink)
        {
            request.Complete(frame.ToFrame());
            return;
        }
        if (frame.Status == KvStatus.NotMyVBucket && _settings.BucketType == BucketType.Couchbase)
        {
            request.State = RequestState.Queued;
            request.LastStatus = KvStatus.NotMyVBucket;
            var json = frame.ValueLength > 0 ? System.Text.Encoding.UTF8.GetString(frame.Value) : null;
            Context.Parent.Tell(new NodeMessages.NotMyVBucket(_nodeIndex, request, json));
            return;
        }
        var written = request.State == RequestState.Written;
        request.Complete(ResponseMapper.Map(request, frame, _transcoder, _inFlight.Count, QueueDepth, _errorMap));
        if (frame.Status != KvStatus.Success && _errorMap is not null && _errorMap.TryGet((ushort)frame.Status, out var entry))
            FollowErrorMap(entry);
        // Answered from the server and out of the in-flight table: nothing else refers to it any more (a request
        // still in the unflushed batch cannot have been answered by an honest server, so it is not reused).
        if (written) request.Recycle();
    }

    /// <summary>
    /// What the server's error map says to do after a failed status (spec §3.1): "fetch-config" asks for a newer map
    /// (Couchbase buckets), "conn-state-invalidated" means this connection must not be used any further, so it is
    /// closed and reopened (written mutations then fail as ambiguous, reads and unwritten requests go again).
    /// NOT_MY_VBUCKET never gets here (it is followed before).
    /// </summary>
    private void FollowErrorMap(ErrorMapEntry entry)
    {
        if (entry.FetchConfig && _settings.BucketType == BucketType.Couchbase)
            EnqueueInternal(Opcode.GetClusterConfig, "config", new ConfigSink(Context.Parent, _nodeIndex));
        if (entry.InvalidatesConnection)
            OnLost(new KvNodeUnavailableException($"{_name} answered {entry.Name}, which invalidates the connection (error map)"));
    }

    /// <summary>Server → client opcode 0x01 (after HELLO Duplex): a new cluster map (spec §2.12).</summary>
    private const Opcode ClustermapChangeNotification = (Opcode)0x01;

    /// <summary>
    /// A request from the server (Couchbase buckets negotiate Duplex): a pushed cluster map goes to the supervisor
    /// like a fetched one; a brief notification (no map) makes this connection fetch it. Nothing is answered (the
    /// server expects no reply); other server requests are ignored.
    /// </summary>
    private void OnServerPush(in RawFrame frame)
    {
        if (frame.Opcode != ClustermapChangeNotification || _settings.BucketType != BucketType.Couchbase) return;
        if (frame.KeyLength == 0 || !frame.Key.SequenceEqual(_bucketName)) return; // another bucket's, or the global map
        if (frame.ValueLength > 0)
            Context.Parent.Tell(new NodeMessages.ConfigFetched(_nodeIndex, System.Text.Encoding.UTF8.GetString(frame.Value)));
        else if (_state == State.Ready)
            EnqueueInternal(Opcode.GetClusterConfig, "config", new ConfigSink(Context.Parent, _nodeIndex));
    }

    private void OnHandshakeFrame(Frame frame)
    {
        var handshake = _handshake!;
        if (_log.IsDebugEnabled) _log.Debug("Handshake with {0}: {1}", _name, frame);
        try
        {
            if (frame.Opaque > handshake.LastOpaque)
                throw new KvProtocolException($"unexpected response (opaque {frame.Opaque}) during the handshake");
            var next = handshake.OnResponse(frame, out var done);
            foreach (var f in next) AppendRaw(f);
            if (next.Count > 0) Flush();
            if (done) OnReady(handshake);
        }
        catch (Handshake.AuthenticateFirstException e)
        {
            // memcached with SASL closes the socket after refusing HELLO: reconnect and authenticate first.
            _authenticateFirst = true;
            _reconnectAttempt = -1;
            OnLost(e);
        }
        catch (CouchbaseException e)
        {
            HandshakeFailed(e);
        }
        catch (FormatException e)
        {
            HandshakeFailed(new KvAuthenticationException($"SASL exchange with {_name} failed: {e.Message}"));
        }
        catch (ProtocolException e)
        {
            // A reply the handshake cannot read (a HELLO of odd length...): the connection fails, not the actor.
            ProtocolFailure($"during the handshake: {e.Message}");
        }
    }

    private void OnReady(Handshake handshake)
    {
        Timers.Cancel("handshake");
        _state = State.Ready;
        _readySince = Stopwatch.GetTimestamp(); // the backoff starts over only once this connection has proven itself
        _lastError = null;
        _jsonNegotiated = handshake.Features.Contains(HelloFeature.Json);
        _errorMap = handshake.ErrorMap;
        if (_log.IsDebugEnabled)
            _log.Debug("Connected to {0}: features [{1}], sasl {2}", _name, string.Join(",", handshake.Features),
                handshake.Mechanism ?? "none");
        Context.Parent.Tell(new NodeMessages.Ready(_nodeIndex, _name, handshake.ConfigJson, handshake.Features.ToArray()));
        _handshake = null;
        Pump();
    }

    private void HandshakeFailed(CouchbaseException e)
    {
        if (e is KvAuthenticationException)
        {
            // Waiting would only end in timeouts: tell everyone now.
            foreach (var request in _waiting) request.Fail(new KvAuthenticationException(e.Message, request.Context(0, QueueDepth)));
            _waiting.Clear();
        }
        OnLost(e);
    }

    private void ProtocolFailure(string message)
    {
        _log.Warning("Protocol error from {0}: {1}; closing the connection", _name, message);
        OnLost(new KvProtocolException($"protocol error from {_name}: {message}"));
    }

    private void OnLost(Exception reason)
    {
        if (_state == State.Disconnected) return;
        if (ShuttingDown)
            // Akka.IO's connection actors stop with the actor system, often before this one: say what happened.
            reason = new KvClientStoppedException($"the client stopped (the actor system is shutting down; {reason.Message})");
        if (_readySince != 0 && Stopwatch.GetElapsedTime(_readySince) >= _settings.ReconnectResetAfter)
            _reconnectAttempt = 0; // it served for a while: this loss is news, not the same failure again
        _readySince = 0;
        _lastError = reason;
        if (_connection is not null)
        {
            Context.Unwatch(_connection);
            _connection.Tell(Tcp.Abort.Instance);
        }
        _connection = null;
        _pendingConnect = null;
        _diagnosing = null;
        Timers.Cancel("connect");
        _state = State.Disconnected;
        _handshake = null;
        _writePending = false;
        _outboxLength = 0;
        _inWrite = null; // Akka.IO may still be sending from it
        _batchRequests.Clear();
        Timers.Cancel("handshake");

        // Requests that reached the socket, in send order: reads go again, mutations are ambiguous. A read with a
        // later mutation of its key written too is not sent again (the server would run it after that mutation):
        // it is ambiguous as well, and answered before the mutation.
        var inSendOrder = _inFlight.Values.OrderBy(r => r.Opaque).ToList();
        // Backwards, so that each written read knows whether a mutation of its key was written after it.
        HashSet<string>? mutatedLater = null;
        HashSet<KvRequest>? readsPastLaterMutations = null;
        for (var i = inSendOrder.Count - 1; i >= 0; i--)
        {
            var request = inSendOrder[i];
            if (request.IsAmbiguousIfLost)
                (mutatedLater ??= new HashSet<string>(StringComparer.Ordinal)).Add(request.Key);
            else if (request.State == RequestState.Written && request.Command is not NodeMessages.InternalCommand &&
                     mutatedLater is not null && mutatedLater.Contains(request.Key))
                (readsPastLaterMutations ??= new HashSet<KvRequest>()).Add(request);
        }
        var again = new List<KvRequest>();
        var lost = $"the connection was lost ({reason.Message})";
        foreach (var request in inSendOrder)
        {
            if (request.IsAmbiguousIfLost)
            {
                request.FailAmbiguous(lost, _inFlight.Count, QueueDepth);
                continue;
            }
            if (readsPastLaterMutations is not null && readsPastLaterMutations.Contains(request))
            {
                request.Fail(new KvAmbiguousException(
                    $"{request.Opcode} '{request.Key}' was written to {_name} but {lost} before its reply, and a later " +
                    "mutation of its key was written too: sent again, it would run after that mutation, so its result is " +
                    "unknown (read again to know)", request.Context(_inFlight.Count, QueueDepth)));
                continue;
            }
            request.AddRetryReason(request.State == RequestState.Written ? "SOCKET_CLOSED_WHILE_IN_FLIGHT" : "SOCKET_NOT_AVAILABLE");
            request.State = RequestState.Queued;
            again.Add(request);
        }
        _inFlight.Clear();
        for (var i = again.Count - 1; i >= 0; i--) Wait(again[i], first: true);

        Context.Parent.Tell(new NodeMessages.ConnectionLost(_nodeIndex, _name, reason, reason is KvAuthenticationException));
        if (_closing)
        {
            FinishClose();
            return;
        }
        if (ShuttingDown) return; // no reconnect: PostStop answers what is held
        if (_reconnectAttempt < 0)
        {
            _reconnectAttempt = 0;
            Connect();
            return;
        }
        var delay = Backoff.Next(_reconnectAttempt++, _settings.ReconnectMinBackoff, _settings.ReconnectMaxBackoff,
            _settings.ReconnectJitter);
        _log.Info("Lost connection to {0} ({1}); reconnecting in {2}ms", _name, reason.Message, (long)delay.TotalMilliseconds);
        Timers.StartSingleTimer("reconnect", Reconnect.Instance, delay);
    }

    /// <summary>True once the actor system's coordinated shutdown has begun (it also runs on Terminate).</summary>
    private bool ShuttingDown => _shutdown.ShutdownReason is not null;

    private void Enqueue(KvRequest request)
    {
        if (_closing)
        {
            Context.Parent.Tell(new NodeMessages.Returned(_nodeIndex, new[] { request }));
            return;
        }
        request.NodeName = _name;
        if (_state == State.Ready && _waiting.Count == 0 && _inFlight.Count < _settings.MaxInFlightPerNode &&
            Fits(RequestEncoder.Size(request)))
        {
            Buffer(request);
            if (!_writePending) Flush();
            return;
        }
        if (_waiting.Count >= _settings.MaxQueuePerNode)
        {
            request.Fail(new KvOverloadedException(
                $"{request.Opcode} '{request.Key}' refused: {_waiting.Count} requests already wait for {_name} " +
                "(akka.couchbase.max-queue-per-node)", request.Context(_inFlight.Count, QueueDepth)));
            return;
        }
        Wait(request);
    }

    private void EnqueueInternal(Opcode opcode, string name, IReplySink sink)
    {
        var request = new KvRequest(new NodeMessages.InternalCommand(name), name, 0, opcode,
            _settings.OperationTimeout, null, sink);
        // Internal requests are never refused nor handed back; while closing they are answered by FinishClose.
        if (_closing || _waiting.Count >= _settings.MaxQueuePerNode) Wait(request);
        else Enqueue(request);
    }

    /// <summary>Moves waiting requests into the outgoing batch while limits allow, and writes if the socket is free.</summary>
    private void Pump()
    {
        if (_state == State.Handshaking) Flush(); // handshake frames written while the previous write awaited its ack
        if (_state != State.Ready) return;
        if (_closing)
        {
            // What is already encoded goes out (it counts as in flight); what waits is handed back, never written here.
            if (!_writePending) Flush();
            return;
        }
        while (_waiting.First is { } node && _inFlight.Count < _settings.MaxInFlightPerNode &&
               Fits(RequestEncoder.Size(node.Value)))
        {
            _waiting.RemoveFirst();
            Buffer(node.Value);
        }
        if (!_writePending) Flush();
    }

    private bool Fits(int size) => _outboxLength == 0 || _outboxLength + size <= _settings.MaxWriteBatchBytes;

    private void Buffer(KvRequest request)
    {
        request.Opaque = ++_nextOpaque;
        request.Attempts++;
        request.State = RequestState.Buffered;
        var size = RequestEncoder.Size(request);
        EnsureCapacity(size);
        RequestEncoder.Write(_outbox.AsSpan(_outboxLength), request, _jsonNegotiated);
        _outboxLength += size;
        _inFlight[request.Opaque] = request;
        _batchRequests.Add(request);
        if (!_deadlineTimerOn) StartDeadlineTimer();
    }

    /// <summary>The deadline sweep runs while the connection holds requests, and stops when it holds none.</summary>
    private void StartDeadlineTimer()
    {
        _deadlineTimerOn = true;
        Timers.StartPeriodicTimer("deadlines", DeadlineTick.Instance, _settings.DeadlineCheckInterval);
    }

    private void Wait(KvRequest request, bool first = false)
    {
        if (first) _waiting.AddFirst(request);
        else _waiting.AddLast(request);
        if (!_deadlineTimerOn) StartDeadlineTimer();
    }

    private void AppendRaw(byte[] frame)
    {
        EnsureCapacity(frame.Length);
        frame.CopyTo(_outbox, _outboxLength);
        _outboxLength += frame.Length;
    }

    private void EnsureCapacity(int extra)
    {
        var needed = _outboxLength + extra;
        if (needed <= _outbox.Length) return;
        var grown = new byte[Math.Max(needed, _outbox.Length * 2)];
        _outbox.AsSpan(0, _outboxLength).CopyTo(grown);
        _outbox = grown;
    }

    private void Flush()
    {
        if (_outboxLength == 0 || _writePending || _connection is null) return;
        _connection.Tell(Tcp.Write.Create(ByteString.FromBytes(_outbox, 0, _outboxLength), _writeAck));
        _writePending = true;
        _outboxLength = 0;
        _inWrite = _outbox;
        // Keep the buffers from staying huge after one large value (an oversized array is not kept as the spare).
        _outbox = _spare ?? new byte[Math.Min(64 * 1024, _settings.MaxWriteBatchBytes)];
        _spare = null;
        foreach (var request in _batchRequests)
        {
            request.State = RequestState.Written;
            request.WasWritten = true;
        }
        _batchRequests.Clear();
    }

    private void SweepDeadlines()
    {
        var now = Stopwatch.GetTimestamp();
        List<uint>? expired = null;
        foreach (var (opaque, request) in _inFlight)
            if (request.IsExpired(now)) (expired ??= new List<uint>()).Add(opaque);
        if (expired is not null)
        {
            expired.Sort(); // in send order: the table's own order is not, and replies on one key keep their order
            foreach (var opaque in expired)
            {
                _inFlight.Remove(opaque, out var request);
                request!.Fail(new KvTimeoutException(
                    $"{request.Opcode} '{request.Key}' got no reply from {_name} within {request.Timeout.TotalMilliseconds}ms",
                    request.Context(_inFlight.Count, QueueDepth)));
            }
        }
        for (var node = _waiting.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.IsExpired(now))
            {
                _waiting.Remove(node);
                var request = node.Value;
                if (_state == State.Ready)
                    request.Fail(new KvTimeoutException(
                        $"{request.Opcode} '{request.Key}' waited for {_name} past its deadline of {request.Timeout.TotalMilliseconds}ms " +
                        "(the connection is saturated)", request.Context(_inFlight.Count, QueueDepth)));
                else if (request.WasWritten)
                    // A read whose answer was lost with its connection: it was sent, so "could not be sent" would lie.
                    request.Fail(new KvTimeoutException(
                        $"{request.Opcode} '{request.Key}' was written to {_name}, but the connection was lost before its reply " +
                        $"and no reply came within its deadline of {request.Timeout.TotalMilliseconds}ms ({Unavailability})",
                        request.Context(_inFlight.Count, QueueDepth)));
                else
                    FailUnavailable(request, _lastError is null ? $"{_name} is still connecting" : $"{_name} is unavailable ({Unavailability})");
            }
            node = next;
        }
        if (_inFlight.Count == 0 && _waiting.Count == 0 && _deadlineTimerOn)
        {
            Timers.Cancel("deadlines");
            _deadlineTimerOn = false;
        }
        if (_closing && _inFlight.Count == 0) FinishClose();
    }

    private string Unavailability => _lastError is null
        ? "still connecting"
        : $"{_lastError.Message}; reconnect attempt {_reconnectAttempt}";

    private void FailUnavailable(KvRequest request, string why) =>
        request.Fail(new KvNodeUnavailableException(
            $"{request.Opcode} '{request.Key}' could not be sent: {why}", request.Context(_inFlight.Count, QueueDepth)));

    private void BeginClose()
    {
        _closing = true;
        if (_state != State.Ready || _inFlight.Count == 0) FinishClose();
        else Pump();
    }

    /// <summary>
    /// Once nothing written is unanswered: hands back what was never written (in order), then answers the internal
    /// requests (a fence's answer must reach the supervisor after the requests it covers), then stops.
    /// </summary>
    private void FinishClose()
    {
        if (_inFlight.Count > 0 && _state == State.Ready) return; // wait for the written ones
        var unwritten = _waiting.Where(r => r.Sink is not IInternalSink).ToList();
        var internals = _waiting.Where(r => r.Sink is IInternalSink).ToList();
        _waiting.Clear();
        if (unwritten.Count > 0) Context.Parent.Tell(new NodeMessages.Returned(_nodeIndex, unwritten));
        foreach (var request in internals)
            request.Fail(new KvNodeUnavailableException($"{_name} left the cluster map"));
        Context.Parent.Tell(new NodeMessages.Closed(_nodeIndex));
        Context.Stop(Self);
    }
}
