using System.Diagnostics;
using Akka.Actor;
using Akka.Couchbase.Routing;
using Akka.Event;
using Akka.Couchbase.Pipeline;
using Akka.Couchbase.Transport;

namespace Akka.Couchbase.Actors;

/// <summary>Bootstrap, node connections and cluster maps.</summary>
internal sealed partial class ClusterSupervisor
{
    private NodeSlot Spawn(string host, int port, bool fetchConfig)
    {
        var id = ++_nextSlotId;
        var safeName = $"node-{id}-{Uri.EscapeDataString(HostPort.Format(host, port)).Replace("%", "_")}";
        var actor = Context.ActorOf(NodeConnection.Props(id, host, port, _settings, _transcoder, fetchConfig,
            _telemetry), safeName);
        Context.Watch(actor);
        var slot = new NodeSlot(id, host, port, actor);
        _slots[id] = slot;
        _slotsByAddress[slot.Address] = slot;
        return slot;
    }

    /// <summary>Time for the next round of seeds (every seed failed in the last one).</summary>
    private sealed class NextSeed : INoSerializationVerificationNeeded
    {
        public static readonly NextSeed Instance = new();
    }

    /// <summary>Couchbase buckets: connect to one seed at a time (in the configured order, cycling) until one yields a map.</summary>
    private void BootstrapNextSeed()
    {
        var (host, port) = _settings.Servers[_seedCursor++ % _settings.Servers.Count];
        var address = HostPort.Format(host, port);
        _bootstrap = _slotsByAddress.TryGetValue(address, out var existing) ? existing : Spawn(host, port, fetchConfig: true);
    }

    private void OnNodeReady(NodeMessages.Ready ready)
    {
        if (!_slots.TryGetValue(ready.NodeIndex, out var slot)) return;
        slot.Ready = true;
        slot.PushesMaps = ready.Features.Contains(Protocol.HelloFeature.ClustermapChangeNotification);
        slot.Collections = ready.Features.Contains(Protocol.HelloFeature.Collections);
        _connectErrors.Remove(slot.Address);
        if (ready.ConfigJson is not null) ApplyConfig(ready.ConfigJson, slot.Host);
        else if (_settings.BucketType == BucketType.Couchbase && _config is null)
            StreamConfigOverHttp($"{ready.Node} did not return a cluster map (GET_CLUSTER_CONFIG)");
        slot.Attempted = true;
        AnswerConnectWaiters();
        OnCollectionsNodeReady();
    }

    /// <summary>
    /// Connect waiters are answered once a route exists and every node of the map has finished its first connection
    /// attempt (so the first commands do not wait for handshakes), with at least one node ready.
    /// </summary>
    private void AnswerConnectWaiters()
    {
        if (_connectWaiters.Count == 0 || (_config is null && _ketama is null)) return;
        var nodes = _routes.Where(s => s is not null).Select(s => s!).ToList();
        if (!nodes.Any(s => s.Ready) || !nodes.All(s => s.Attempted)) return;
        foreach (var waiter in _connectWaiters)
            waiter.ReplyTo.Send(new Kv.Connected(ConnectedNodes(), waiter.CorrelationId));
        _connectWaiters.Clear();
    }

    /// <summary>The authentication failure, while it is the last word of every connection attempt so far.</summary>
    private KvAuthenticationException? AuthenticationFailedEverywhere =>
        _lastBootstrapError is KvAuthenticationException e && !_slots.Values.Any(s => s.Ready) ? e : null;

    /// <summary>
    /// Why the client has no connection, node by node (the seeds first, each with its own last failure), for the
    /// messages of a connect that timed out and of commands that found no node; null when nothing failed yet.
    /// </summary>
    private string? WhyNotConnected()
    {
        var parts = new List<string>();
        if (SrvLookupUnderWay() is { } lookup) parts.Add(lookup);
        foreach (var (host, port) in _settings.Servers)
            if (_connectErrors.TryGetValue(HostPort.Format(host, port), out var error) && !parts.Contains(error)) parts.Add(error);
        foreach (var error in _connectErrors.Values)
            if (!parts.Contains(error)) parts.Add(error);
        if (_lastBootstrapError is { } bootstrap && !parts.Any(p => p.Contains(bootstrap.Message, StringComparison.Ordinal)))
            parts.Add(bootstrap.Message);
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private IReadOnlyList<string> ConnectedNodes() =>
        _slots.Values.Where(s => s.Ready && !s.Closing).Select(s => s.Address).OrderBy(a => a).ToList();

    private void OnConnectionLost(NodeMessages.ConnectionLost lost)
    {
        if (!_slots.TryGetValue(lost.NodeIndex, out var slot)) return;
        slot.Ready = false;
        slot.Attempted = true;
        var message = lost.Reason.Message;
        _connectErrors[slot.Address] = message.Contains(slot.Address, StringComparison.OrdinalIgnoreCase)
            ? message
            : $"{slot.Address}: {message}";
        AnswerConnectWaiters();
        if (!_slots.Values.Any(s => s.Ready))
        {
            _lastBootstrapError = lost.Reason;
            if (lost.IsAuthenticationFailure)
            {
                // Waiting would only end in timeouts: credentials do not fix themselves.
                foreach (var waiter in _connectWaiters)
                    waiter.ReplyTo.Send(new Status.Failure(lost.Reason));
                _connectWaiters.Clear();
                foreach (var request in _backlog)
                    request.Fail(new KvAuthenticationException(lost.Reason.Message, request.Context(0, _backlog.Count)));
                _backlog.Clear();
            }
        }
        if (_config is null && _ketama is null)
        {
            // Try the next seed while this one backs off; once every seed has failed in this round, the next round
            // waits for the reconnect backoff (a new connection per seed would otherwise start at no backoff at all).
            if (slot == _bootstrap && _settings.Servers.Count > 1)
            {
                slot.Closing = true;
                slot.Actor.Tell(NodeMessages.Close.Instance);
                _slotsByAddress.Remove(slot.Address);
                _bootstrap = null;
                if (_seedCursor % _settings.Servers.Count != 0)
                {
                    BootstrapNextSeed();
                }
                else
                {
                    var delay = Backoff.Next(_bootstrapRound++, _settings.ReconnectMinBackoff, _settings.ReconnectMaxBackoff,
                        _settings.ReconnectJitter);
                    Timers.StartSingleTimer("bootstrap", NextSeed.Instance, delay);
                    ReResolveSeeds();
                }
            }
            else if (slot == _bootstrap)
            {
                ReResolveSeeds(); // the one seed failed (its connection retries with its backoff meanwhile)
            }
            return;
        }
        // A node dropped: the map may have changed (failover). Ask another node soon.
        RequestConfig(except: slot);
    }

    private void AwaitConnected(Kv.AwaitConnected await, ReplyTarget replyTo)
    {
        if (AuthenticationFailedEverywhere is { } authFailure)
        {
            replyTo.Send(new Status.Failure(authFailure));
            return;
        }
        var timeout = await.Timeout ?? _settings.ConnectTimeout + _settings.HandshakeTimeout;
        var now = Stopwatch.GetTimestamp();
        _connectWaiters.Add(new ConnectWaiter(replyTo, await.CorrelationId, now,
            now + (long)(timeout.TotalSeconds * Stopwatch.Frequency)));
        EnsureTicking();
        AnswerConnectWaiters();
    }

    /// <summary>Applies a cluster map if it is newer than the current one: new nodes get connections, gone nodes are closed.</summary>
    private void ApplyConfig(string json, string hostForDollarHost)
    {
        // A poll usually brings back the map this node sent last time: the same text is not parsed again.
        if (_lastMapText.TryGetValue(hostForDollarHost, out var last) && string.Equals(last, json, StringComparison.Ordinal)) return;
        ClusterConfig parsed;
        try
        {
            parsed = ClusterConfig.Parse(json, hostForDollarHost);
            _lastMapText[hostForDollarHost] = json;
        }
        catch (FormatException e)
        {
            _log.Warning("Ignoring a cluster map that could not be read: {0}", e.Message);
            return;
        }
        if (_config is not null && !parsed.Version.IsNewerThan(_config.Version)) return;
        if (_ketama is not null) return; // memcached buckets use the static server list

        var previous = _config;
        _config = parsed;
        Observability.KvTelemetry.Count(Observability.Instruments.ClusterMapsApplied, _telemetry.Endpoint);
        var routes = new NodeSlot?[parsed.Nodes.Count];
        var keep = new HashSet<NodeSlot>();
        for (var i = 0; i < parsed.Nodes.Count; i++)
        {
            var node = parsed.Nodes[i];
            // Over TLS a node is reached at its kvSSL port; serverList names the plain one.
            var port = node.KvPortFor(_settings.Tls.Enabled);
            var address = HostPort.Format(node.Host, port);
            if (!_slotsByAddress.TryGetValue(address, out var slot) || slot.Closing)
                slot = Spawn(node.Host, port, fetchConfig: false);
            routes[i] = slot;
            keep.Add(slot);
        }
        // Fences go out before any Close, so a leaving node answers them after handing back what it held.
        ParkMovedVBuckets(previous, _routes, parsed, routes);
        foreach (var slot in _slots.Values.Where(s => !keep.Contains(s) && !s.Closing).ToList())
        {
            slot.Closing = true;
            _slotsByAddress.Remove(slot.Address);
            slot.Actor.Tell(NodeMessages.Close.Instance);
        }
        _routes = routes;
        _log.Info("Cluster map {0} for bucket {1}: {2} nodes (was {3})", parsed.Version, parsed.BucketName,
            parsed.Nodes.Count, previous?.Version.ToString() ?? "none");
        Context.System.EventStream.Publish(new ClusterMapChanged(parsed.BucketName, parsed.Version.Epoch,
            parsed.Version.Revision, parsed.Nodes.Select(n => HostPort.Format(n.Host, n.KvPortFor(_settings.Tls.Enabled))).ToList(),
            ViewsEndpoints(parsed, _settings.Tls.Enabled), Self));
        DrainBacklog();
        ReleaseParkedAfterNewMap();
        OnManifestUid(parsed.CollectionsManifestUid);
        if (previous is null)
        {
            // The first map may come after the seed's connection was ready (over HTTP): connect waiters wait for it.
            _lastBootstrapError = null;
            AnswerConnectWaiters();
        }
    }

    /// <summary>
    /// Views base URLs: couchApiBase where given, else http://host:capi/bucket. Over TLS the same URLs with https and
    /// the node's capiSSL port (18092 when the map names none), for nodes that serve views.
    /// </summary>
    private static IReadOnlyList<Uri> ViewsEndpoints(ClusterConfig config, bool tls)
    {
        var endpoints = new List<Uri>();
        foreach (var node in config.Nodes)
        {
            if (tls)
            {
                if (node.ViewsPort is null && node.ViewsBaseUri is null && node.ViewsTlsPort is null) continue;
                var path = node.ViewsBaseUri is { } b && Uri.TryCreate(b, UriKind.Absolute, out var plain)
                    ? plain.AbsolutePath
                    : "/" + Uri.EscapeDataString(config.BucketName);
                var port = node.ViewsTlsPort ?? NodeEndpoint.DefaultViewsTlsPort;
                if (Uri.TryCreate($"https://{HostPort.Format(node.Host, port)}{path}", UriKind.Absolute, out var secure))
                    endpoints.Add(secure);
            }
            else if (node.ViewsBaseUri is { } raw && Uri.TryCreate(raw, UriKind.Absolute, out var uri)) endpoints.Add(uri);
            else if (node.ViewsPort is { } port &&
                     Uri.TryCreate($"http://{HostPort.Format(node.Host, port)}/{Uri.EscapeDataString(config.BucketName)}",
                         UriKind.Absolute, out var built))
                endpoints.Add(built); // a host that makes no URL (a map's bad bytes) has no views endpoint
        }
        return endpoints;
    }

    /// <summary>
    /// The nodes do not serve the map on the KV port: stream it from the cluster manager as well (once; the stream
    /// then pushes every change). KV polling goes on: should a node serve the map after all, or the stream be
    /// unreachable, the client still learns of changes; a refused poll costs one small request.
    /// </summary>
    private void StreamConfigOverHttp(string why)
    {
        if (_httpConfig is not null) return;
        if (!_settings.HttpBootstrapEnabled)
        {
            _lastBootstrapError = new CouchbaseException(
                $"{why}, and akka.couchbase.http-bootstrap.enabled is off; is this a Couchbase bucket?");
            _log.Warning(_lastBootstrapError.Message);
            return;
        }
        var endpoints = _settings.HttpBootstrapEndpoints;
        _log.Info("{0}: streaming it over HTTP from [{1}]", why,
            string.Join(", ", endpoints.Select(e => HostPort.Format(e.Host, e.Port))));
        if (_config is null) _lastBootstrapError = new CouchbaseException($"{why}; waiting for it over HTTP");
        _httpConfig = Context.ActorOf(HttpConfigStream.Props(_settings, endpoints), "http-config");
    }

    private void RequestConfig(NodeSlot? except = null)
    {
        if (_settings.BucketType != BucketType.Couchbase) return;
        var candidates = _slots.Values.Where(s => s.Ready && !s.Closing && s != except).ToList();
        if (candidates.Count == 0) return;
        candidates[_pollCursor++ % candidates.Count].Actor.Tell(NodeMessages.FetchConfig.Instance);
        _lastPollTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>How much less often the map is polled while every node pushes its maps.</summary>
    private const int PushedPollSlowdown = 4;

    private void PollConfig(long now)
    {
        if (_settings.ConfigPollInterval <= TimeSpan.Zero || _config is null) return;
        // While every connected node pushes its new maps (Couchbase Server 7+ with Duplex), the poll is only a
        // safety net and runs at a quarter of the rate: an idle client then wakes up once every 10 s by default.
        var ready = _slots.Values.Where(s => s.Ready && !s.Closing).ToList();
        var interval = ready.Count > 0 && ready.All(s => s.PushesMaps)
            ? _settings.ConfigPollInterval * PushedPollSlowdown
            : _settings.ConfigPollInterval;
        // A poll (or a fetch for another reason) less than half a timer period ago makes this one unneeded.
        if (Stopwatch.GetElapsedTime(_lastPollTimestamp, now) < interval - _settings.ConfigPollInterval / 2) return;
        RequestConfig();
    }
}
