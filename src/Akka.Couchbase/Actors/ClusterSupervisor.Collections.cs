using System.Buffers.Binary;
using System.Text;
using Akka.Actor;
using Akka.Couchbase.Pipeline;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Transcoding;

namespace Akka.Couchbase.Actors;

/// <summary>
/// Collection ids. A command for a collection other than the default one needs its id in front of its key: ids are
/// looked up with GET_COLLECTION_ID and cached per collection. While a collection's id is unknown, its commands wait
/// in admission order. When a node answers UNKNOWN_COLLECTION (the collection was dropped, or re-created under a new
/// id), the id is dropped from the cache, every node gets a fence (answered once everything written to it before is
/// answered, so every command sent with the old id has come back), and the commands are sent again, in admission
/// order, once the new id is known and every fence is answered. A collection that does not exist fails its commands
/// with <see cref="KvUnknownCollectionException"/>; each command still has its own deadline.
/// </summary>
internal sealed partial class ClusterSupervisor
{
    private static readonly TimeSpan CollectionRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<string, CollectionState> _collections = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (int SlotId, string Path)> _collectionFences = new();
    private int _heldForCollections;
    private string? _manifestUid;

    private sealed class CollectionState(string path)
    {
        public string Path { get; } = path;
        /// <summary>The id in use; null while it is being looked up or refreshed.</summary>
        public uint? Id { get; set; }
        /// <summary>The id a node refused last: a lookup that returns it again is retried after a pause.</summary>
        public uint? RefusedId { get; set; }
        public bool Resolving { get; set; }
        /// <summary>Bumped on every lookup: answers to an older one are ignored.</summary>
        public long Generation { get; set; }
        public string? ManifestUid { get; set; }
        public HashSet<long> Fences { get; } = new();
        /// <summary>Commands waiting for the id, in admission order (<see cref="KvRequest.Sequence"/>).</summary>
        public List<KvRequest> Pending { get; } = new();
        public bool Ready => Id is not null && Fences.Count == 0 && !Resolving;
    }

    /// <summary>A GET_COLLECTION_ID was answered (or failed).</summary>
    private sealed record CollectionIdAnswered(string Path, long Generation, object Reply) : INoSerializationVerificationNeeded;

    /// <summary>Time to look a collection's id up again (after a transient failure or a refused id).</summary>
    private sealed record RetryCollection(string Path, long Generation) : INoSerializationVerificationNeeded;

    /// <summary>Forwards the answer of a GET_COLLECTION_ID to the supervisor.</summary>
    private sealed class CollectionIdSink(IActorRef supervisor, string path, long generation) : IInternalSink
    {
        public void Deliver(KvRequest? request, object reply) =>
            supervisor.Tell(new CollectionIdAnswered(path, generation, reply));
    }

    /// <summary>
    /// Stamps the request with its collection's id when it is known (true: route it on); else it waits for the id
    /// (false), which is looked up if no lookup is under way.
    /// </summary>
    private bool TryStampCollection(KvRequest request, string path)
    {
        if (!_collections.TryGetValue(path, out var state)) _collections[path] = state = new CollectionState(path);
        if (state.Ready)
        {
            request.CollectionId = state.Id!.Value;
            return true;
        }
        if (request.Attempts == 0 && _backlog.Count + _heldInParks + _heldForCollections >= _settings.MaxBacklog)
        {
            request.Fail(new KvOverloadedException(
                $"{request.Opcode} '{request.Key}' refused: {_backlog.Count + _heldInParks + _heldForCollections} commands " +
                "already wait (for a cluster map, moving vBuckets or collection ids; akka.couchbase.max-backlog)",
                request.Context(0, _backlog.Count + _heldInParks + _heldForCollections)));
            return false;
        }
        HoldForCollection(state, request);
        if (state.Id is null && !state.Resolving) LookUpCollection(state);
        return false;
    }

    /// <summary>Keeps the request among its collection's waiting commands, in admission order.</summary>
    private void HoldForCollection(CollectionState state, KvRequest request)
    {
        var pending = state.Pending;
        var at = pending.Count;
        while (at > 0 && pending[at - 1].Sequence > request.Sequence) at--; // refused ones are older than new ones
        pending.Insert(at, request);
        _heldForCollections++;
        EnsureTicking();
    }

    /// <summary>Sends GET_COLLECTION_ID (the path in the value, as kv_engine documents it) to a ready node.</summary>
    private void LookUpCollection(CollectionState state)
    {
        var slot = _slots.Values.Where(s => s.Ready && !s.Closing).OrderBy(s => s.Id).FirstOrDefault();
        if (slot is null) return; // looked up when a node is ready (OnCollectionsNodeReady)
        if (!slot.Collections)
        {
            FailCollection(state, r => new KvInvalidArgumentException(
                $"{r.Opcode} '{r.Key}' in collection {state.Path} not sent: {slot.Address} did not negotiate collections " +
                "(HELLO), so the cluster has only _default._default (a server before 7.0?)", r.Context(0, 0)));
            return;
        }
        state.Resolving = true;
        state.Generation++;
        var request = new KvRequest(new InternalCommand("collection-id"), state.Path, Opcode.GetCollectionId,
            _settings.OperationTimeout, ReplyTarget.Sink(new CollectionIdSink(Self, state.Path, state.Generation)))
        {
            Value = new EncodedValue(Encoding.UTF8.GetBytes(state.Path), 0, DataType.Raw),
        };
        slot.Actor.Tell(request, ActorRefs.NoSender);
    }

    private void OnCollectionIdAnswered(CollectionIdAnswered answered)
    {
        if (!_collections.TryGetValue(answered.Path, out var state) || state.Generation != answered.Generation) return;
        state.Resolving = false;
        switch (answered.Reply)
        {
            case Frame { Status: KvStatus.Success, ExtrasLength: >= 12 } frame:
                var extras = frame.Extras;
                state.ManifestUid = BinaryPrimitives.ReadUInt64BigEndian(extras).ToString("x");
                var id = BinaryPrimitives.ReadUInt32BigEndian(extras.Slice(8));
                if (id == state.RefusedId)
                {
                    // The node that refused it may not have the new manifest yet: ask again shortly.
                    state.RefusedId = null;
                    ScheduleCollectionRetry(state);
                    return;
                }
                state.Id = id;
                ReleaseCollection(state);
                return;
            case Frame { Status: KvStatus.UnknownCollection or KvStatus.UnknownScope } unknown:
                var manifest = UnknownCollectionBody.ManifestUid(unknown.Value);
                var what = unknown.Status == KvStatus.UnknownScope ? "its scope" : "it";
                FailCollection(state, r => new KvUnknownCollectionException(
                    $"{r.Opcode} '{r.Key}' not applied: collection {state.Path} does not exist ({what} is not in the " +
                    $"bucket's manifest{(manifest is null ? "" : $", uid {manifest}")})", state.Path, manifest, r.Context(0, 0)));
                return;
            case Frame { Status: KvStatus.NotSupported or KvStatus.UnknownCommand } refused:
                FailCollection(state, r => new KvInvalidArgumentException(
                    $"{r.Opcode} '{r.Key}' in collection {state.Path} not sent: the cluster does not know collections " +
                    $"(GET_COLLECTION_ID answered {refused.Status}), it has only _default._default", r.Context(0, 0)));
                return;
            default:
                // A lost connection, a timeout, a busy node: look it up again while commands wait (each has its deadline).
                if (state.Pending.Count > 0) ScheduleCollectionRetry(state);
                return;
        }
    }

    private void ScheduleCollectionRetry(CollectionState state) =>
        Timers.StartSingleTimer("collection:" + state.Path, new RetryCollection(state.Path, state.Generation),
            CollectionRetryDelay);

    private void OnRetryCollection(RetryCollection retry)
    {
        if (!_collections.TryGetValue(retry.Path, out var state) || state.Generation != retry.Generation) return;
        if (state.Id is null && !state.Resolving && state.Pending.Count > 0) LookUpCollection(state);
    }

    /// <summary>
    /// A node refused the request's collection id: unless that id was already dropped, drop it, fence every node and
    /// look the id up again; the request waits with the others, in admission order.
    /// </summary>
    private void OnUnknownCollection(NodeMessages.UnknownCollection refused)
    {
        var request = refused.Request;
        if (request.IsCompleted) return;
        request.AddRetryReason("KV_COLLECTION_OUTDATED");
        var path = request.CollectionPath!;
        if (!_collections.TryGetValue(path, out var state)) _collections[path] = state = new CollectionState(path);
        if (state.Id == request.CollectionId)
        {
            state.Id = null;
            state.RefusedId = request.CollectionId;
            state.Generation++; // an answer to a lookup under way may carry the refused id
            state.Resolving = false;
            foreach (var slot in _slots.Values.Where(s => s.Ready && !s.Closing)) CollectionFence(slot, state);
            LookUpCollection(state);
        }
        HoldForCollection(state, request);
        // A refusal that comes back after the lookup said the collection is gone: look again (it fails, or finds the
        // collection created again), so that no command waits for a lookup that is not under way.
        if (state.Id is null && !state.Resolving) LookUpCollection(state);
    }

    private void CollectionFence(NodeSlot slot, CollectionState state)
    {
        var token = ++_fenceToken;
        _collectionFences[token] = (slot.Id, state.Path);
        state.Fences.Add(token);
        slot.Actor.Tell(new NodeMessages.Fence(token));
    }

    /// <summary>A fence answered (or its node gone); true when it was a collection's.</summary>
    private bool OnCollectionFenceDone(long token)
    {
        if (!_collectionFences.Remove(token, out var fence)) return false;
        if (_collections.TryGetValue(fence.Path, out var state) && state.Fences.Remove(token)) ReleaseCollection(state);
        return true;
    }

    /// <summary>The collection fences of a node that is gone: nothing it held can come back any more.</summary>
    private void OnCollectionSlotGone(int slotId)
    {
        foreach (var token in _collectionFences.Where(f => f.Value.SlotId == slotId).Select(f => f.Key).ToList())
            OnCollectionFenceDone(token);
    }

    /// <summary>
    /// The map says the bucket's scopes or collections changed: every cached id may be stale (a collection dropped and
    /// created again has a new one). Each is looked up again behind fences, as after UNKNOWN_COLLECTION, while its new
    /// commands wait in admission order; an id that did not change costs one lookup and one NOOP per node.
    /// </summary>
    private void OnManifestUid(string? manifestUid)
    {
        if (manifestUid is null || manifestUid == _manifestUid) return;
        var first = _manifestUid is null;
        _manifestUid = manifestUid;
        if (first) return;
        foreach (var state in _collections.Values.Where(s => s.Id is not null || s.Resolving).ToList())
        {
            state.Id = null;
            state.Generation++; // a lookup under way may have read the old manifest
            state.Resolving = false;
            foreach (var slot in _slots.Values.Where(s => s.Ready && !s.Closing)) CollectionFence(slot, state);
            LookUpCollection(state);
        }
    }

    /// <summary>Once the id is known and every fence answered, the waiting commands go out in admission order.</summary>
    private void ReleaseCollection(CollectionState state)
    {
        if (!state.Ready || state.Pending.Count == 0) return;
        var waiting = state.Pending.ToList();
        state.Pending.Clear();
        _heldForCollections -= waiting.Count;
        foreach (var request in waiting) Route(request);
    }

    /// <summary>Fails every command waiting for the collection (it does not exist, or cannot exist here).</summary>
    private void FailCollection(CollectionState state, Func<KvRequest, CouchbaseException> failure)
    {
        var waiting = state.Pending.ToList();
        state.Pending.Clear();
        _heldForCollections -= waiting.Count;
        foreach (var request in waiting) request.Fail(failure(request));
    }

    /// <summary>Nodes that became ready look up the ids commands wait for.</summary>
    private void OnCollectionsNodeReady()
    {
        foreach (var state in _collections.Values)
            if (state.Id is null && !state.Resolving && state.Pending.Count > 0) LookUpCollection(state);
    }

    /// <summary>Fails the waiting commands whose deadline passed, in the order they wait; returns whether any wait.</summary>
    private bool FailExpiredForCollections(long now)
    {
        foreach (var state in _collections.Values)
        {
            for (var i = 0; i < state.Pending.Count; i++)
            {
                var r = state.Pending[i];
                if (!r.IsExpired(now)) continue;
                state.Pending.RemoveAt(i--);
                _heldForCollections--;
                r.Fail(new KvTimeoutException(
                    $"{r.Opcode} '{r.Key}' timed out after {r.Timeout.TotalMilliseconds}ms waiting for the id of collection " +
                    $"{state.Path}{(state.Fences.Count > 0 ? " (refreshing it after a node did not know it)" : "")}",
                    r.Context(0, state.Pending.Count)));
            }
        }
        return _heldForCollections > 0;
    }

    private void FailCollectionsOnStop()
    {
        foreach (var state in _collections.Values)
        foreach (var r in state.Pending)
            r.Fail(new KvClientStoppedException($"{r.Opcode} '{r.Key}' not sent: the client was stopped", r.Context(0, 0)));
        _collections.Clear();
        _heldForCollections = 0;
    }
}
