using System.Diagnostics;
using Akka.Actor;
using Akka.Couchbase.Observability;
using Akka.Couchbase.Pipeline;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Transcoding;
using Akka.Couchbase.Transport;
using Akka.Event;

namespace Akka.Couchbase.Actors;

/// <summary>
/// One connection to one node: what the node owes its callers, and how the connection lives. It connects through
/// its <see cref="INodeTransport"/> (Akka.IO TCP by default, <see cref="TlsTransport"/> with <c>tls.enabled</c>), runs the <see cref="Handshake"/>, then keeps many
/// requests in flight (<see cref="InFlightTable"/>), their frames coalesced into one write while the previous write
/// is being taken (<see cref="Outbox"/>). Requests beyond the in-flight limit wait in a bounded queue; beyond that
/// they fail at once. One timer checks every deadline, and runs only while the connection holds a request. When the
/// connection is lost, written mutations fail as ambiguous, everything else waits (in order) for the reconnect,
/// which comes after a jittered exponential backoff; a request whose deadline passes meanwhile fails
/// (node-unavailable if it was never written, timeout if it was). Every state that waits has a deadline (the
/// transport's connect, the handshake, the reconnect), so every way out of a connection ends in a scheduled
/// reconnect. The backoff starts over only after a connection has stayed up for <c>reconnect-reset-after</c>.
/// Whatever it still holds when it stops is failed in <see cref="PostStop"/>. Replies are read in
/// <c>NodeConnection.Responses.cs</c>, the handshake's in <c>NodeConnection.Handshake.cs</c>.
/// </summary>
internal sealed partial class NodeConnection : UntypedActor, IWithTimers, ITransportListener, INodeLoad
{
    private sealed class Reconnect : INoSerializationVerificationNeeded { public static readonly Reconnect Instance = new(); }
    private sealed class HandshakeTimeout : INoSerializationVerificationNeeded { public static readonly HandshakeTimeout Instance = new(); }
    private sealed class DeadlineTick : INoSerializationVerificationNeeded { public static readonly DeadlineTick Instance = new(); }

    private enum State { Connecting, Handshaking, Ready, Disconnected }

    private readonly int _nodeIndex;
    private readonly string _host;
    private readonly int _port;
    private readonly string _name;
    private readonly CouchbaseSettings _settings;
    private readonly HandshakeOptions _handshakeOptions;
    private readonly ITranscoder _transcoder;
    private readonly bool _fetchConfig;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly InFlightTable _inFlight = new();
    private readonly LinkedList<KvRequest> _waiting = new();
    private readonly Outbox _outbox;
    private readonly CoordinatedShutdown _shutdown = CoordinatedShutdown.Get(Context.System);
    private INodeTransport _transport = null!; // made in PreStart, once the timers exist

    private State _state = State.Connecting;
    private int _reconnectAttempt;
    private bool _closing;
    private Exception? _lastError;
    private long _connectionCounter;
    private long _readySince; // Stopwatch timestamp of the last handshake's end; 0 while not ready
    private bool _deadlineTimerOn;
    private bool _flushDeferred; // requests were batched without a write while more messages waited
    /// <summary>A batch held back for the rest of the mailbox goes out at once beyond this many bytes.</summary>
    private const int DeferredFlushBytes = 16 * 1024;
    private Exception? _restartReason;
    /// <summary>This node of this client, as metrics attributes (docs/observability.md).</summary>
    private readonly TelemetryEndpoint _telemetry;
    /// <summary>Written requests that timed out, for the orphan report; null when it is off.</summary>
    private readonly TimedOutRequests? _timedOut;
    /// <summary>Whether requests are stamped when dispatched (slow-operation reports show the time queued).</summary>
    private readonly bool _stampDispatch;

    public NodeConnection(int nodeIndex, string host, int port, CouchbaseSettings settings, ITranscoder transcoder,
        bool fetchConfig, ClientTelemetry telemetry)
    {
        _telemetry = telemetry.ForNode(host, port);
        _timedOut = telemetry.Orphans is null ? null : new TimedOutRequests(1024);
        _stampDispatch = telemetry.KvSlow is not null;
        _nodeIndex = nodeIndex;
        _host = host;
        _port = port;
        _name = host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
        _settings = settings;
        _handshakeOptions = HandshakeOptions.From(settings);
        _transcoder = transcoder;
        _fetchConfig = fetchConfig;
        _decoder = NewDecoder(settings);
        _outbox = new Outbox(settings.MaxWriteBatchBytes);
        _bucketName = System.Text.Encoding.UTF8.GetBytes(settings.Bucket);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(int nodeIndex, string host, int port, CouchbaseSettings settings, ITranscoder transcoder,
        bool fetchConfig, ClientTelemetry telemetry) =>
        Akka.Actor.Props.Create(() => new NodeConnection(nodeIndex, host, port, settings, transcoder, fetchConfig, telemetry))
            .WithDispatcher(settings.Dispatcher);

    private int QueueDepth => _waiting.Count;

    TelemetryEndpoint INodeLoad.Endpoint => _telemetry;
    int INodeLoad.InFlightCount => _inFlight.Count;
    int INodeLoad.QueuedCount => _waiting.Count;

    protected override void PreStart()
    {
        _transport = _settings.Tls.Enabled
            ? new TlsTransport(Self, this, _name, _settings.ConnectTimeout, _settings.Tls, _settings.MaxResponseBody, _settings.ValuePooling)
            : _settings.Transport == KvTransport.Socket
                ? new SocketTransport(Self, this, _name, _settings.ConnectTimeout, _settings.MaxResponseBody, _settings.ValuePooling)
                : new AkkaIoTransport(Context, Timers, this, _name, _settings.ConnectTimeout);
        NodeLoads.Add(this);
        Connect();
    }

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
        NodeLoads.Remove(this);
        var held = _inFlight.TakeAll().Concat(_waiting).ToList();
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
        _transport?.Abort();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case KvRequest request:
                Enqueue(request);
                break;
            case DeadlineTick:
                SweepDeadlines();
                break;
            case HandshakeTimeout when _state == State.Handshaking:
                OnLost(new KvNodeUnavailableException(
                    $"handshake with {_name} did not finish within {_settings.HandshakeTimeout.TotalMilliseconds}ms"));
                break;
            case HandshakeTimeout:
                break;
            case Reconnect when _state == State.Disconnected:
                KvTelemetry.Count(Instruments.Reconnects, _telemetry);
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
                if (!_transport.Handle(message, Sender)) Unhandled(message);
                break;
        }
        // A batch held back while more messages waited goes out once the mailbox is drained.
        if (_flushDeferred && !((ActorCell)Context).HasMessages) Flush();
    }

    private void Connect()
    {
        _state = State.Connecting;
        _transport.Connect(_host, _port);
    }

    void ITransportListener.OnConnected()
    {
        if (_state != State.Connecting)
        {
            _transport.Abort();
            return;
        }
        _connectionCounter++;
        _decoder = NewDecoder(_settings);
        _state = State.Handshaking;
        _outbox.Reset();
        var connectionId = $"{Self.Path.Uid:x16}/{_connectionCounter:x16}";
        _telemetry.LocalId = connectionId;
        _timedOut?.Clear();
        _handshake = new Handshake(_handshakeOptions, connectionId, _fetchConfig, _authenticateFirst);
        foreach (var frame in _handshake.Start()) _outbox.AddRaw(frame);
        _inFlight.NumberAfter(_handshake.LastOpaque + 100);
        Flush();
        Timers.StartSingleTimer("handshake", HandshakeTimeout.Instance, _settings.HandshakeTimeout);
    }

    void ITransportListener.OnConnectFailed(string message) => OnLost(new KvNodeUnavailableException(message));

    void ITransportListener.OnClosed(string message) => OnLost(new KvNodeUnavailableException(message));

    void ITransportListener.OnWritten()
    {
        _outbox.Written();
        Pump();
    }

    private void OnLost(Exception reason)
    {
        if (_state == State.Disconnected) return;
        KvTelemetry.Count(_state == State.Ready ? Instruments.ConnectionsClosed : Instruments.ConnectionsFailed, _telemetry);
        if (ShuttingDown)
            // Akka.IO's connection actors stop with the actor system, often before this one: say what happened.
            reason = new KvClientStoppedException($"the client stopped (the actor system is shutting down; {reason.Message})");
        if (_readySince != 0 && Stopwatch.GetElapsedTime(_readySince) >= _settings.ReconnectResetAfter)
            _reconnectAttempt = 0; // it served for a while: this loss is news, not the same failure again
        _readySince = 0;
        _lastError = reason;
        _transport.Abort();
        _state = State.Disconnected;
        _handshake = null;
        _outbox.Reset();
        Timers.Cancel("handshake");
        AnswerOrKeepInFlight(reason);

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

    /// <summary>
    /// The requests that reached the batch, in send order: written mutations (and reads written before a later
    /// mutation of their key) are answered as ambiguous; the rest wait, first in line and in order, for the next
    /// connection.
    /// </summary>
    private void AnswerOrKeepInFlight(Exception reason)
    {
        var held = _inFlight.TakeOnLoss();
        var again = new List<KvRequest>();
        var lost = $"the connection was lost ({reason.Message})";
        foreach (var (request, verdict) in held)
        {
            switch (verdict)
            {
                case InFlightTable.LossVerdict.Ambiguous:
                    request.FailAmbiguous(lost, held.Count, QueueDepth);
                    break;
                case InFlightTable.LossVerdict.AmbiguousRead:
                    request.Fail(new KvAmbiguousException(
                        $"{request.Opcode} '{request.Key}' was written to {_name} but {lost} before its reply, and a later " +
                        "mutation of its key was written too: sent again, it would run after that mutation, so its result is " +
                        "unknown (read again to know)", request.Context(held.Count, QueueDepth)));
                    break;
                default:
                    request.AddRetryReason(request.State == RequestState.Written ? "SOCKET_CLOSED_WHILE_IN_FLIGHT" : "SOCKET_NOT_AVAILABLE");
                    request.State = RequestState.Queued;
                    again.Add(request);
                    break;
            }
        }
        for (var i = again.Count - 1; i >= 0; i--) Wait(again[i], first: true);
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
        if (request.Telemetry is not null) request.Telemetry = _telemetry;
        if (_state == State.Ready && _waiting.Count == 0 && _inFlight.Count < _settings.MaxInFlightPerNode &&
            _outbox.Fits(request.EncodedSize))
        {
            Buffer(request);
            // More messages waiting (usually more requests of the same burst): they join this batch, and the
            // batch goes out when the mailbox is drained (or once it is large), one write for the burst.
            if (((ActorCell)Context).HasMessages && _outbox.Length < DeferredFlushBytes) _flushDeferred = true;
            else Flush();
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
        var request = new KvRequest(new InternalCommand(name), name, opcode, _settings.OperationTimeout,
            ReplyTarget.Sink(sink));
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
            Flush();
            return;
        }
        while (_waiting.First is { } node && _inFlight.Count < _settings.MaxInFlightPerNode &&
               _outbox.Fits(node.Value.EncodedSize))
        {
            _waiting.RemoveFirst();
            if (node.Value.CollectionPath is not null && !_collectionsNegotiated)
            {
                // Without the id in front of its key, the command would reach the default collection.
                node.Value.Fail(new KvInvalidArgumentException(
                    $"{node.Value.Opcode} '{node.Value.Key}' in collection {node.Value.CollectionPath} not sent: {_name} " +
                    "did not negotiate collections (HELLO), so it has only _default._default (a server before 7.0?)",
                    node.Value.Context(_inFlight.Count, QueueDepth)));
                continue;
            }
            Buffer(node.Value);
        }
        Flush();
    }

    private void Buffer(KvRequest request)
    {
        if (RefusedForFeatures(request)) return;
        _inFlight.Add(request); // numbers it: the opaque goes into its header
        request.Attempts++;
        if (_stampDispatch) request.DispatchTimestamp = Stopwatch.GetTimestamp();
        _outbox.Add(request, _jsonNegotiated, _collectionsNegotiated);
        if (!_deadlineTimerOn) StartDeadlineTimer();
    }

    /// <summary>Writes the batch, unless the previous write is still being taken (its ack writes it then).</summary>
    private void Flush()
    {
        _flushDeferred = false;
        if (_state is not (State.Handshaking or State.Ready)) return;
        if (!_outbox.TryTake(out var buffer, out var length)) return;
        KvTelemetry.Count(Instruments.BytesWritten, _telemetry, length);
        _transport.Write(buffer, length);
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

    private void SweepDeadlines()
    {
        var now = Stopwatch.GetTimestamp();
        if (_inFlight.TakeExpired(now) is { } expired)
            foreach (var request in expired)
            {
                if (_timedOut is not null && request.Telemetry is not null) _timedOut.Add(request);
                request.Fail(new KvTimeoutException(
                    $"{request.Opcode} '{request.Key}' got no reply from {_name} within {request.Timeout.TotalMilliseconds}ms",
                    request.Context(_inFlight.Count, QueueDepth)));
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
