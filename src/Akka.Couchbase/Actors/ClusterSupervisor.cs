using System.Diagnostics;
using Akka.Actor;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Routing;
using Akka.Couchbase.Transcoding;
using Akka.Event;
using Akka.Couchbase.Pipeline;
using Akka.Couchbase.Pipeline.Durability;

namespace Akka.Couchbase.Actors;

/// <summary>
/// The client's root actor for one cluster and bucket. It admits commands (checking them before the wire), routes
/// each by key (vBucket map for Couchbase buckets, ketama for memcached buckets) to one <see cref="NodeConnection"/>
/// child per node, in mailbox order, so that commands on one key keep their order. It holds commands (bounded)
/// until a route exists, applies newer cluster maps, and replays commands refused with NOT_MY_VBUCKET in their
/// original order behind a fence. It answers for commands it holds: each gets exactly one reply by its deadline.
/// </summary>
internal sealed partial class ClusterSupervisor : UntypedActor, IWithTimers
{
    /// <summary>The client's settings; its seeds (<c>Servers</c>) are replaced by a DNS SRV lookup's targets.</summary>
    private CouchbaseSettings _settings;
    private readonly ITranscoder _transcoder;
    private readonly RequestFactory _factory;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<int, NodeSlot> _slots = new();
    private readonly Dictionary<string, NodeSlot> _slotsByAddress = new(StringComparer.OrdinalIgnoreCase);
    private readonly LinkedList<KvRequest> _backlog = new();
    private readonly Dictionary<int, ParkedVBucket> _parked = new();
    private readonly List<ConnectWaiter> _connectWaiters = new();
    private NodeSlot?[] _routes = Array.Empty<NodeSlot?>();
    private KetamaRing? _ketama;
    private ClusterConfig? _config;
    private int _nextSlotId;
    private int _seedCursor;
    private NodeSlot? _bootstrap;
    private long _fenceToken;
    private bool _ticking;
    private int _bootstrapRound;
    /// <summary>The last map text each host sent (see ApplyConfig): an unchanged map is not parsed again.</summary>
    private readonly Dictionary<string, string> _lastMapText = new(StringComparer.OrdinalIgnoreCase);
    private long _admitted;
    private long _lastPollTimestamp;
    private int _pollCursor;
    private Exception? _lastBootstrapError;
    /// <summary>Each node's last connection failure, by address, until it connects (see <see cref="WhyNotConnected"/>).</summary>
    private readonly Dictionary<string, string> _connectErrors = new(StringComparer.OrdinalIgnoreCase);
    private IActorRef? _httpConfig;
    /// <summary>This client's metrics, spans and reports (docs/observability.md).</summary>
    private readonly Observability.ClientTelemetry _telemetry;

    public ClusterSupervisor(CouchbaseSettings settings, ITranscoder transcoder)
    {
        _settings = settings;
        _transcoder = transcoder;
        _telemetry = new Observability.ClientTelemetry(settings.Bucket, settings.Observability);
        _factory = new RequestFactory(settings, transcoder) { Telemetry = _telemetry.Endpoint };
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(CouchbaseSettings settings, ITranscoder transcoder) =>
        Akka.Actor.Props.Create(() => new ClusterSupervisor(settings, transcoder)).WithDispatcher(settings.Dispatcher);

    private sealed class NodeSlot(int id, string host, int port, IActorRef actor)
    {
        public int Id { get; } = id;
        public string Host { get; } = host;
        public int Port { get; } = port;
        public IActorRef Actor { get; } = actor;
        public bool Ready { get; set; }
        /// <summary>Set once a connection attempt has finished, successfully or not.</summary>
        public bool Attempted { get; set; }
        /// <summary>Its connection negotiated ClustermapChangeNotification: the node pushes every new map.</summary>
        public bool PushesMaps { get; set; }
        /// <summary>Its connection negotiated Collections: keys carry their collection id.</summary>
        public bool Collections { get; set; }
        public bool Closing { get; set; }
        public string Address => HostPort.Format(Host, Port);
    }

    private sealed record ConnectWaiter(ReplyTarget ReplyTo, object? CorrelationId, long Start, long Deadline);

    private sealed record ReleaseVBucket(int VBucket, long ParkId) : INoSerializationVerificationNeeded;

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(_ => Directive.Restart);

    protected override void PreStart()
    {
        if (_settings.Tls is { Enabled: true, AllowInsecure: true })
            _log.Warning("akka.couchbase.tls.allow-insecure = on: server certificates are not checked, so TLS gives no " +
                         "protection from a man in the middle (for tests and trials only)");
        _telemetry.Join(); // view queries of this bucket are reported to it
        if (_telemetry.KvSlow is not null || _telemetry.Orphans is not null)
            Context.ActorOf(ThresholdReporter.Props(_telemetry, _settings.Dispatcher));
        if (_settings.ConfigPollInterval > TimeSpan.Zero && _settings.BucketType == BucketType.Couchbase)
            Timers.StartPeriodicTimer("poll", NodeMessages.Poll.Instance, _settings.ConfigPollInterval);
        // With DNS SRV, bootstrap starts when the lookup has answered; commands wait in the backlog meanwhile.
        if (!StartSrvLookup()) StartBootstrap();
    }

    /// <summary>Connects to the seeds: all of them for a memcached bucket, one at a time for a Couchbase bucket.</summary>
    private void StartBootstrap()
    {
        _bootstrapStarted = true;
        if (_settings.BucketType == BucketType.Memcached)
        {
            var addresses = new List<string>();
            foreach (var (host, port) in _settings.Servers)
            {
                var slot = Spawn(host, port, fetchConfig: false);
                addresses.Add(slot.Address);
            }
            _ketama = new KetamaRing(addresses);
            _routes = addresses.Select(a => (NodeSlot?)_slotsByAddress[a]).ToArray();
            DrainBacklog(); // commands that came during a DNS SRV lookup
        }
        else
        {
            BootstrapNextSeed();
        }
    }

    protected override void PostStop()
    {
        _telemetry.Leave();
        foreach (var request in _backlog)
            request.Fail(new KvClientStoppedException($"{request.Opcode} '{request.Key}' not sent: the client was stopped",
                request.Context(0, _backlog.Count)));
        _backlog.Clear();
        foreach (var parked in _parked.Values)
        foreach (var request in parked.Held)
            request.Fail(new KvClientStoppedException($"{request.Opcode} '{request.Key}' not sent: the client was stopped",
                request.Context(0, 0)));
        _parked.Clear();
        FailCollectionsOnStop();
        foreach (var waiter in _connectWaiters)
            waiter.ReplyTo.Send(new Status.Failure(new KvClientStoppedException(
                "the client was stopped before it connected", correlationId: waiter.CorrelationId)));
        _connectWaiters.Clear();
        FailWatches();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case IKeyCall call: // before Kv.ICommand: the call is its own command
                AdmitCall(call);
                break;
            case Kv.ICommand command:
                OnCommand(command, ReplyTarget.Actor(Sender));
                break;
            case ITaskSink envelope:
                OnCommand(envelope.Command, ReplyTarget.Sink(envelope));
                break;
            case DurabilityMessages.Applied or DurabilityMessages.NotApplied
                or DurabilityMessages.Observed or DurabilityMessages.Poll:
                OnDurability(message);
                break;
            case NodeMessages.Ready ready:
                OnNodeReady(ready);
                break;
            case NodeMessages.ConnectionLost lost:
                OnConnectionLost(lost);
                break;
            case NodeMessages.NotMyVBucket nmvb:
                OnNotMyVBucket(nmvb);
                break;
            case NodeMessages.FenceDone done:
                if (!OnCollectionFenceDone(done.Token)) OnFenceDone(done);
                break;
            case NodeMessages.UnknownCollection unknown:
                OnUnknownCollection(unknown);
                break;
            case CollectionIdAnswered answered:
                OnCollectionIdAnswered(answered);
                break;
            case RetryCollection retry:
                OnRetryCollection(retry);
                break;
            case ReleaseVBucket release:
                if (_parked.TryGetValue(release.VBucket, out var parked) && parked.Id == release.ParkId && parked.Outstanding.Count == 0)
                    Release(release.VBucket);
                break;
            case NodeMessages.ConfigFetched fetched:
                if (_slots.TryGetValue(fetched.NodeIndex, out var from)) ApplyConfig(fetched.ConfigJson, from.Host);
                break;
            case NodeMessages.ConfigUnavailable unavailable:
                if (_slots.TryGetValue(unavailable.NodeIndex, out var refusing))
                    StreamConfigOverHttp($"{refusing.Address} does not serve the cluster map on the KV port ({unavailable.Reason})");
                break;
            case NodeMessages.HttpConfigFetched http:
                ApplyConfig(http.ConfigJson, http.Host);
                break;
            case NodeMessages.HttpConfigFailed failed:
                if (_config is null) _lastBootstrapError = new CouchbaseException(failed.Reason);
                break;
            case NodeMessages.Returned returned:
                // Handed back by a node that left the map, in their original order (before its fence's answer).
                foreach (var request in returned.Requests) Route(request);
                break;
            case NodeMessages.Closed closed:
                OnSlotGone(closed.NodeIndex);
                break;
            case NodeMessages.Tick:
                OnTick();
                break;
            case SrvLookedUp looked:
                OnSrvLookedUp(looked);
                break;
            case SrvLookupTimedOut timedOut:
                OnSrvLookupTimedOut(timedOut);
                break;
            case NextSeed:
                if (_config is null && _bootstrap is null) BootstrapNextSeed();
                break;
            case NodeMessages.Poll:
                PollConfig(Stopwatch.GetTimestamp());
                break;
            case Terminated terminated:
                OnChildTerminated(terminated.ActorRef);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>A caller's command, from an actor (Tell, Ask) or from the Task facade: its reply target is known from here on.</summary>
    private void OnCommand(Kv.ICommand command, ReplyTarget replyTo)
    {
        _factory.TraceParent = Observability.KvSpans.Wanted ? Observability.KvSpans.ParentOf(command, replyTo) : default;
        switch (command)
        {
            case Kv.KeyCommand key:
                Admit(key, replyTo);
                break;
            case Kv.MultiCommand multi:
                AdmitMulti(multi, replyTo);
                break;
            case Kv.AwaitConnected await:
                AwaitConnected(await, replyTo);
                break;
            case Kv.GetDiagnostics diagnostics:
                replyTo.Send(Diagnose(diagnostics.CorrelationId));
                break;
            case Kv.Stats stats:
                Stats(stats, replyTo);
                break;
            default:
                replyTo.Send(new Status.Failure(new KvInvalidArgumentException(
                    $"unsupported command type {command.GetType().Name}", correlationId: command.CorrelationId)));
                break;
        }
    }

    private void Admit(Kv.KeyCommand command, ReplyTarget replyTo)
    {
        if (AdmitDurable(command, replyTo)) return;
        KvRequest request;
        try
        {
            request = _factory.Create(command, replyTo);
        }
        catch (KvInvalidArgumentException e)
        {
            replyTo.Send(new Status.Failure(WithCorrelation(e, command)));
            return;
        }
        request.Sequence = ++_admitted;
        Route(request);
    }

    /// <summary>A plain Task facade call: admitted as the command it stands for would be, without making one.</summary>
    private void AdmitCall(IKeyCall call)
    {
        if (Observability.KvSpans.Wanted)
        {
            OnCommand(call.Command, ReplyTarget.Sink(call)); // spans were turned on since the call: the usual path makes them
            return;
        }
        _factory.TraceParent = default;
        KvRequest request;
        try
        {
            request = _factory.Create(call);
        }
        catch (KvInvalidArgumentException e)
        {
            call.Deliver(null, new Status.Failure(e));
            return;
        }
        request.Sequence = ++_admitted;
        Route(request);
    }

    private static CouchbaseException WithCorrelation(KvInvalidArgumentException e, Kv.ICommand command) =>
        command.CorrelationId is null ? e : new KvInvalidArgumentException(e.Message, inner: e, correlationId: command.CorrelationId);

    private void AdmitMulti(Kv.MultiCommand multi, ReplyTarget replyTo)
    {
        switch (multi)
        {
            case Kv.GetMulti get:
                GetMulti(get, replyTo);
                break;
            case Kv.UpsertMulti upsert:
                Fan(upsert.Items.Keys.ToList(),
                    k => new Kv.Upsert(k, upsert.Items[k])
                    {
                        Timeout = multi.Timeout, Expiry = upsert.Expiry, Scope = multi.Scope, Collection = multi.Collection,
                    },
                    new MultiAggregator<MutationResult>(upsert.Items.Count, replyTo, multi.CorrelationId));
                break;
            case Kv.RemoveMulti remove:
                var keys = remove.Keys.Distinct().ToList();
                Fan(keys, k => new Kv.Remove(k)
                    {
                        Timeout = multi.Timeout, Quiet = remove.Quiet, Scope = multi.Scope, Collection = multi.Collection,
                    },
                    new MultiAggregator<MutationResult>(keys.Count, replyTo, multi.CorrelationId));
                break;
            case Kv.Multi mixed:
                MixedMulti(mixed, replyTo);
                break;
        }
    }

    /// <summary>STAT to every node of the map (or the server list), one request each, answered together.</summary>
    private void Stats(Kv.Stats stats, ReplyTarget replyTo)
    {
        var group = stats.Group ?? "";
        TimeSpan timeout;
        try
        {
            timeout = _factory.TimeoutOf(stats);
            if (group.Length > 0) RequestFactory.CheckKey(group);
        }
        catch (KvInvalidArgumentException e)
        {
            replyTo.Send(new Status.Failure(new KvInvalidArgumentException($"stat group: {e.Message}", correlationId: stats.CorrelationId)));
            return;
        }
        var nodes = _routes.Where(s => s is not null).Select(s => s!).Distinct().ToList();
        var collector = new StatsCollector(nodes.Count, replyTo, stats.CorrelationId);
        foreach (var slot in nodes)
        {
            var request = new KvRequest(new InternalCommand("stats"), group, Opcode.Stat, timeout,
                ReplyTarget.Sink(collector.For(slot.Address)));
            if (group.Length > 0) request.SetKey(group); // the group is sent as the key
            slot.Actor.Tell(request, ActorRefs.NoSender);
        }
    }

    /// <summary>Any single-key commands, one per key, answered together.</summary>
    private void MixedMulti(Kv.Multi multi, ReplyTarget replyTo)
    {
        var commands = multi.Commands ?? Array.Empty<Kv.KeyCommand>();
        var repeated = commands.Where(c => c is not null).GroupBy(c => c.Key).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (repeated is not null || commands.Any(c => c is null))
        {
            replyTo.Send(new Status.Failure(new KvInvalidArgumentException(repeated is null
                ? "Kv.Multi holds a null command"
                : $"key '{repeated}' appears more than once in Kv.Multi: one command per key (its result is keyed by it)",
                correlationId: multi.CorrelationId)));
            return;
        }
        var aggregator = new MultiAggregator<KvResult>(commands.Count, replyTo, multi.CorrelationId);
        foreach (var command in commands)
        {
            if (command is Kv.Observe or Kv.Endure or Kv.IDurableCommand { PersistTo: > 0 } or Kv.IDurableCommand { ReplicateTo: > 0 })
            {
                aggregator.Reject(command.Key ?? "", new KvInvalidArgumentException(
                    $"{command.GetType().Name} of key '{command.Key}': durability, Observe and Endure are not available inside Kv.Multi",
                    correlationId: multi.CorrelationId));
                continue;
            }
            KvRequest request;
            try
            {
                request = _factory.Create(command.Timeout is null && multi.Timeout is not null ? command with { Timeout = multi.Timeout } : command,
                    ReplyTarget.Sink(aggregator));
            }
            catch (KvInvalidArgumentException e)
            {
                aggregator.Reject(command.Key ?? "", e);
                continue;
            }
            request.Sequence = ++_admitted;
            Route(request);
        }
    }

    /// <summary>
    /// The multi-get fast path: one request per distinct key, made straight from the multi command (no per-key
    /// command object, no delegate), all routed in this one mailbox run, so that each node's connection writes
    /// them as one batch (pipelined GETs, answered in one or a few reads).
    /// </summary>
    private void GetMulti(Kv.GetMulti get, ReplyTarget replyTo)
    {
        var keys = DistinctKeys(get.Keys);
        var aggregator = new MultiAggregator<GetResult>(keys.Count, replyTo, get.CorrelationId);
        TimeSpan timeout;
        try
        {
            timeout = _factory.TimeoutOf(get);
        }
        catch (KvInvalidArgumentException e)
        {
            foreach (var key in keys) aggregator.Reject(key ?? "", e);
            return;
        }
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            KvRequest request;
            try
            {
                request = _factory.CreateGet(get, key, timeout, aggregator);
            }
            catch (KvInvalidArgumentException e)
            {
                aggregator.Reject(key ?? "", e);
                continue;
            }
            request.Sequence = ++_admitted;
            Route(request);
        }
    }

    /// <summary>The keys without repeats, in first-seen order; the list itself when it has none (the usual case).</summary>
    private static IReadOnlyList<string> DistinctKeys(IReadOnlyList<string> keys)
    {
        if (keys.Count > 32) return keys.Distinct().ToList();
        for (var i = 1; i < keys.Count; i++)
        for (var j = 0; j < i; j++)
            if (string.Equals(keys[i], keys[j], StringComparison.Ordinal))
                return keys.Distinct().ToList();
        return keys;
    }

    private void Fan<T>(List<string> keys, Func<string, Kv.KeyCommand> command, MultiAggregator<T> aggregator)
        where T : KvResult
    {
        foreach (var key in keys)
        {
            KvRequest request;
            try
            {
                request = _factory.Create(command(key), ReplyTarget.Sink(aggregator));
            }
            catch (KvInvalidArgumentException e)
            {
                aggregator.Reject(key ?? "", e);
                continue;
            }
            request.Sequence = ++_admitted;
            Route(request);
        }
    }

    /// <summary>Sends the request to its node, or holds it (parked vBucket, no route yet).</summary>
    private void Route(KvRequest request)
    {
        if (request.IsCompleted) return;
        if (request.IsInternal)
        {
            // An OBSERVE handed back by a closing node: it was meant for that node, not for wherever its key routes.
            request.Fail(new KvNodeUnavailableException($"{request.Opcode} for '{request.Key}' not sent: its node left the map"));
            return;
        }
        if (request.CollectionPath is { } path && !TryStampCollection(request, path)) return;
        int index, vb;
        var key = request.KeyBytes;
        if (_ketama is not null)
        {
            index = _ketama.NodeIndexFor(key);
            vb = 0;
        }
        else if (_config is not null)
        {
            index = _config.NodeIndexForKey(key, out vb);
            if (request.Opcode == Opcode.GetReplica && !TryReplicaNode(request, vb, out index)) return;
        }
        else
        {
            Hold(request, "no cluster map yet");
            return;
        }
        request.VBucket = vb;
        if (_parked.TryGetValue(vb, out var parked))
        {
            // New commands are bounded with the backlog; those already dispatched once are always taken back.
            if (request.Attempts == 0 && _backlog.Count + _heldInParks >= _settings.MaxBacklog)
            {
                request.Fail(new KvOverloadedException(
                    $"{request.Opcode} '{request.Key}' refused: {_backlog.Count + _heldInParks} commands already wait for " +
                    $"vBuckets that are moving (akka.couchbase.max-backlog)", request.Context(0, _backlog.Count + _heldInParks)));
                return;
            }
            Hold(parked, request);
            return;
        }
        var slot = SlotAt(index);
        if (slot is null)
        {
            Hold(request, $"no active node for vBucket {vb}");
            return;
        }
        slot.Actor.Tell(request, ActorRefs.NoSender);
    }

    /// <summary>The connection of node <paramref name="index"/> of the current map, if it has one.</summary>
    private NodeSlot? SlotAt(int index) => index >= 0 && index < _routes.Length ? _routes[index] : null;

    /// <summary>The node of the replica a GetReplica asks for; fails the request (false) when the map has none.</summary>
    private bool TryReplicaNode(KvRequest request, int vb, out int index)
    {
        var replica = ((Kv.GetReplica)request.Command).Replica;
        index = -1;
        if (replica > _config!.NumReplicas)
        {
            request.Fail(new KvInvalidArgumentException(
                $"GetReplica of key '{request.Key}' asks for replica {replica}, but bucket '{_config.BucketName}' has " +
                $"{_config.NumReplicas} replica(s)", request.Context(0, _backlog.Count)));
            return false;
        }
        index = _config.ReplicaNodeIndex(vb, replica);
        if (index >= 0) return true;
        request.Fail(new KvNodeUnavailableException(
            $"GetReplica of key '{request.Key}': vBucket {vb} has no node for replica {replica} in cluster map " +
            $"{_config.Version}", request.Context(0, _backlog.Count)));
        return false;
    }

    private void Hold(KvRequest request, string why)
    {
        if (AuthenticationFailedEverywhere is { } authFailure)
        {
            request.Fail(new KvAuthenticationException(authFailure.Message, request.Context(0, _backlog.Count)));
            return;
        }
        if (_backlog.Count + _heldInParks >= _settings.MaxBacklog)
        {
            request.Fail(new KvOverloadedException(
                $"{request.Opcode} '{request.Key}' refused: {_backlog.Count} requests already wait ({why}; akka.couchbase.max-backlog)",
                request.Context(0, _backlog.Count)));
            return;
        }
        _backlog.AddLast(request);
        EnsureTicking();
    }

    /// <summary>
    /// The deadline sweep (every <c>deadline-check-interval</c>) runs only while the supervisor holds something with a
    /// deadline: backlog, parked commands, connect waiters. An idle client has no timer but the map poll.
    /// </summary>
    private void EnsureTicking()
    {
        if (_ticking) return;
        _ticking = true;
        Timers.StartPeriodicTimer("tick", NodeMessages.Tick.Instance, _settings.DeadlineCheckInterval);
    }

    private void DrainBacklog()
    {
        if (_backlog.Count == 0) return;
        var held = _backlog.ToList();
        _backlog.Clear();
        foreach (var request in held) Route(request);
    }

    private void OnTick()
    {
        var now = Stopwatch.GetTimestamp();
        for (var node = _backlog.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.IsExpired(now))
            {
                _backlog.Remove(node);
                var r = node.Value;
                r.Fail(new KvTimeoutException(
                    $"{r.Opcode} '{r.Key}' found no node within {r.Timeout.TotalMilliseconds}ms: " +
                    (_config is null && _ketama is null
                        ? $"the client has no cluster map yet{(WhyNotConnected() is { } why ? $" ({why})" : "")}"
                        : $"no active node for vBucket {r.VBucket}"), r.Context(0, _backlog.Count)));
            }
            node = next;
        }
        foreach (var (vb, parked) in _parked)
            _heldInParks -= parked.FailExpired(now, vb);
        var forCollections = FailExpiredForCollections(now);
        for (var i = _connectWaiters.Count - 1; i >= 0; i--)
        {
            var waiter = _connectWaiters[i];
            if (now < waiter.Deadline) continue;
            _connectWaiters.RemoveAt(i);
            var waited = Stopwatch.GetElapsedTime(waiter.Start, now).TotalMilliseconds;
            waiter.ReplyTo.Send(new Status.Failure(new KvTimeoutException(
                $"the client did not connect within {waited:F0}ms" +
                (WhyNotConnected() is { } why ? $": {why}" : " (no connection attempt finished yet)"),
                waiter.CorrelationId)));
        }
        if (_backlog.Count == 0 && _heldInParks == 0 && _connectWaiters.Count == 0 && !forCollections)
        {
            Timers.Cancel("tick");
            _ticking = false;
        }
    }

    private Kv.Diagnostics Diagnose(object? correlationId) => new(
        _config?.BucketName ?? _settings.Bucket,
        _config?.Version.ToString(),
        _slots.Values.OrderBy(s => s.Id).Select(s => new Kv.NodeDiagnostics(s.Address, s.Ready, s.Closing)).ToList(),
        _backlog.Count,
        _heldInParks,
        _parked.Count,
        _slots.Values.Any(s => s.Ready) ? null : WhyNotConnected(),
        correlationId) { HeldForCollectionIds = _heldForCollections };

    private void OnChildTerminated(IActorRef child)
    {
        var slot = _slots.Values.FirstOrDefault(s => s.Actor.Equals(child));
        if (slot is null) return;
        _slots.Remove(slot.Id);
        OnSlotGone(slot.Id);
        if (_slotsByAddress.TryGetValue(slot.Address, out var current) && current == slot)
            _slotsByAddress.Remove(slot.Address);
    }
}
