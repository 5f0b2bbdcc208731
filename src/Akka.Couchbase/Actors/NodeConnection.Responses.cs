using Akka.Actor;
using Akka.Event;
using Akka.Couchbase.Pipeline;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Transport;

namespace Akka.Couchbase.Actors;

/// <summary>Response dispatch: bytes from the transport become frames, and each frame the answer to its request.</summary>
internal sealed partial class NodeConnection
{
    private readonly List<RawFrame> _frames = new();
    private readonly byte[] _bucketName; // UTF-8, as pushed cluster maps name their bucket
    private FrameDecoder _decoder;
    private bool _jsonNegotiated;
    private bool _collectionsNegotiated; // keys carry their collection id (HELLO Collections)
    private ErrorMap? _errorMap; // the server's, from the handshake (servers that acknowledged XERROR)

    /// <summary>Server → client opcode 0x01 (after HELLO Duplex): a new cluster map (spec §2.12).</summary>
    private const Opcode ClustermapChangeNotification = (Opcode)0x01;

    /// <summary>A decoder for a new connection: it rents large Get bodies when value pooling is on.</summary>
    private static FrameDecoder NewDecoder(CouchbaseSettings settings) => settings.ValuePooling is { Enabled: true } pooling
        ? new FrameDecoder(settings.MaxResponseBody, pooling.Pool, pooling.MinSize)
        : new FrameDecoder(settings.MaxResponseBody);

    void ITransportListener.OnReceived(byte[] array, int offset, int count, bool shared) =>
        Received(array, offset, count, shared ? Arrival.Shared : Arrival.Copied, null);

    void ITransportListener.OnReceivedFrame(byte[] array, int length, System.Buffers.ArrayPool<byte>? rentedFrom) =>
        Received(array, 0, length, Arrival.WholeFrame, rentedFrom);

    /// <summary>How received bytes may be read: in place (never written again), copied (reused after the call), or one whole frame in place.</summary>
    private enum Arrival { Shared, Copied, WholeFrame }

    private void Received(byte[] array, int offset, int count, Arrival arrival, System.Buffers.ArrayPool<byte>? rentedFrom)
    {
        if (_state is not (State.Handshaking or State.Ready)) return;
        Observability.KvTelemetry.Count(Observability.Instruments.BytesRead, _telemetry, count);
        _frames.Clear();
        try
        {
            // A shared array is never written again: frames inside it are decoded without another copy, and
            // results may keep ranges of it (see ResponseMapper).
            switch (arrival)
            {
                case Arrival.Shared:
                    _decoder.FeedShared(array, offset, count, _frames);
                    break;
                case Arrival.WholeFrame:
                    _decoder.FeedWholeFrame(array, count, rentedFrom, _frames);
                    break;
                default:
                    _decoder.FeedCopying(array.AsSpan(offset, count), _frames);
                    break;
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
            _inFlight.TryGet(frame.Opaque, out var stat) && stat.Sink is StatsCollector.NodeSink statSink)
        {
            statSink.Add(frame); // one statistic; the frame without a key that ends them answers the request below
            return;
        }
        if (!_inFlight.TryRemove(frame.Opaque, out var request))
        {
            if (_inFlight.NeverSent(frame.Opaque))
                ProtocolFailure($"response with opaque {frame.Opaque} that was never sent");
            else OnOrphan(frame); // the answer to a request whose deadline already passed
            return;
        }
        if (frame.Opcode != request.Opcode)
        {
            _inFlight.Restore(request);
            ProtocolFailure($"response opcode {frame.Opcode} does not match request {request.Opcode} (opaque {frame.Opaque})");
            return;
        }
        if (frame.FramingExtrasLength > 0 && ServerDuration.TryRead(frame.FramingExtras, out var serverMicros))
            request.ServerDurationMicros = serverMicros;
        if (request.Sink is IInternalSink)
        {
            request.Complete(frame.ToFrame());
            return;
        }
        if (frame.Status == KvStatus.NotMyVBucket && _settings.BucketType == BucketType.Couchbase)
        {
            request.State = RequestState.Queued;
            request.LastStatus = KvStatus.NotMyVBucket;
            Observability.KvTelemetry.Count(Observability.Instruments.NotMyVBucket, _telemetry);
            var json = frame.ValueLength > 0 ? System.Text.Encoding.UTF8.GetString(frame.Value) : null;
            Context.Parent.Tell(new NodeMessages.NotMyVBucket(_nodeIndex, request, json));
            return;
        }
        if (frame.Status == KvStatus.UnknownCollection && request.CollectionPath is not null)
        {
            // The id was dropped or replaced: the supervisor refreshes it and sends the request again, in order.
            request.State = RequestState.Queued;
            request.LastStatus = KvStatus.UnknownCollection;
            Context.Parent.Tell(new NodeMessages.UnknownCollection(_nodeIndex, request,
                UnknownCollectionBody.ManifestUid(frame.Value)));
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

    /// <summary>A response that came after its request timed out: counted, and kept for the orphan report.</summary>
    private void OnOrphan(in RawFrame frame)
    {
        if (Observability.Instruments.OrphanedResponses.Enabled)
        {
            var tags = _telemetry.Tags();
            tags.Add(Observability.SemanticTags.DbOperationName, Observability.OperationNames.Of(frame.Opcode));
            Observability.Instruments.OrphanedResponses.Add(1, tags);
        }
        if (_timedOut is null || _telemetry.Client.Orphans is not { } orphans) return;
        var serverMicros = frame.FramingExtrasLength > 0 && ServerDuration.TryRead(frame.FramingExtras, out var us) ? us : -1;
        orphans.Offer(_timedOut.Orphan(frame.Opaque, frame.Opcode, serverMicros, _telemetry));
    }

    private void ProtocolFailure(string message)
    {
        _log.Warning("Protocol error from {0}: {1}; closing the connection", _name, message);
        OnLost(new KvProtocolException($"protocol error from {_name}: {message}"));
    }
}
