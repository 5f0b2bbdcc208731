using Akka.Actor;
using Akka.Couchbase.Routing;
using Akka.Couchbase.Pipeline;

namespace Akka.Couchbase.Actors;

/// <summary>
/// Keeping per-key order while vBuckets move. A vBucket is <em>parked</em> when a node refuses it
/// (NOT_MY_VBUCKET) or when a newer map gives it another owner: commands for it are held, and the node that had it
/// gets a <em>fence</em> (a NOOP answered only after everything written before it, or, for a node leaving the
/// map, after it handed back what it never wrote). When every fence of a parked vBucket is answered, the held
/// commands (refused, handed back and newly arrived alike) are routed again in admission order.
/// </summary>
internal sealed partial class ClusterSupervisor
{
    private static readonly TimeSpan NotMyVBucketRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<long, (int SlotId, List<int> VBuckets)> _fences = new();
    private long _parkIds;
    private int _heldInParks;

    private sealed class ParkedVBucket
    {
        public ParkedVBucket(long id, ConfigVersion versionAtPark)
        {
            Id = id;
            VersionAtPark = versionAtPark;
        }

        public long Id { get; }
        /// <summary>The map when the vBucket was parked; a refusal under this same map waits for a newer one.</summary>
        public ConfigVersion VersionAtPark { get; }
        public List<KvRequest> Held { get; } = new();
        public HashSet<long> Outstanding { get; } = new();
        public HashSet<int> FencedSlots { get; } = new();
        /// <summary>Parked because a node refused it: releasing needs a map newer than <see cref="VersionAtPark"/> (or a retry delay).</summary>
        public bool Refused { get; set; }
        public bool WaitingForMap { get; set; }

        /// <summary>Fails the held requests whose deadline passed; returns how many.</summary>
        public int FailExpired(long now, int vb)
        {
            var expired = Held.Where(r => r.IsExpired(now)).ToList(); // in the order they were held (per-key order)
            if (expired.Count == 0) return 0;
            Held.RemoveAll(r => r.IsExpired(now)); // the same requests (the same "now")
            foreach (var r in expired)
            {
                r.Fail(new KvTimeoutException(
                    $"{r.Opcode} '{r.Key}' timed out after {r.Timeout.TotalMilliseconds}ms waiting for vBucket {vb} to move " +
                    "(the cluster map is changing and no node has taken it over yet)", r.Context(0, Held.Count)));
            }
            return expired.Count;
        }
    }

    private ParkedVBucket Park(int vb)
    {
        if (!_parked.TryGetValue(vb, out var parked))
        {
            parked = new ParkedVBucket(++_parkIds, _config?.Version ?? ConfigVersion.None);
            _parked[vb] = parked;
        }
        return parked;
    }

    /// <summary>Sends one fence to <paramref name="slot"/> covering <paramref name="vBuckets"/> (already parked).</summary>
    private void Fence(NodeSlot slot, List<int> vBuckets)
    {
        var token = ++_fenceToken;
        _fences[token] = (slot.Id, vBuckets);
        foreach (var vb in vBuckets)
        {
            var parked = _parked[vb];
            parked.Outstanding.Add(token);
            parked.FencedSlots.Add(slot.Id);
        }
        // A closing node may already be gone: its Closed message (or its death) answers the fence instead.
        if (!slot.Closing) slot.Actor.Tell(new NodeMessages.Fence(token));
    }

    /// <summary>A node finished closing (or died): everything it held was answered or handed back, so its fences are done.</summary>
    private void OnSlotGone(int slotId)
    {
        OnCollectionSlotGone(slotId);
        foreach (var token in _fences.Where(f => f.Value.SlotId == slotId).Select(f => f.Key).ToList())
            OnFenceDone(new NodeMessages.FenceDone(slotId, token));
    }

    private void OnNotMyVBucket(NodeMessages.NotMyVBucket nmvb)
    {
        var request = nmvb.Request;
        request.AddRetryReason("KV_NOT_MY_VBUCKET");
        var vb = request.VBucket;
        var parked = Park(vb);
        parked.Refused = true;
        Hold(parked, request);
        if (!parked.FencedSlots.Contains(nmvb.NodeIndex) && _slots.TryGetValue(nmvb.NodeIndex, out var slot))
            Fence(slot, new List<int> { vb });
        if (nmvb.ConfigJson is not null && _slots.TryGetValue(nmvb.NodeIndex, out var from))
            ApplyConfig(nmvb.ConfigJson, from.Host);
        else
            RequestConfig();
        // The refusing node may already be gone (its death can overtake its last messages): nothing to wait for.
        if (_parked.TryGetValue(vb, out var current) && current.Outstanding.Count == 0 && !current.WaitingForMap)
            Unparked(vb, current);
    }

    /// <summary>After a newer map: every vBucket whose active node changed is parked behind a fence on its old node.</summary>
    private void ParkMovedVBuckets(ClusterConfig? previous, NodeSlot?[] previousRoutes, ClusterConfig next, NodeSlot?[] nextRoutes)
    {
        if (previous is null || previous.IsKetama || next.IsKetama) return;
        var moved = new Dictionary<NodeSlot, List<int>>();
        var count = Math.Min(previous.VBucketCount, next.VBucketCount);
        for (var vb = 0; vb < count; vb++)
        {
            var oldIndex = previous.ActiveNodeIndex(vb);
            var newIndex = next.ActiveNodeIndex(vb);
            var oldSlot = oldIndex >= 0 && oldIndex < previousRoutes.Length ? previousRoutes[oldIndex] : null;
            var newSlot = newIndex >= 0 && newIndex < nextRoutes.Length ? nextRoutes[newIndex] : null;
            if (oldSlot is null || oldSlot == newSlot) continue;
            var parked = Park(vb);
            if (parked.FencedSlots.Contains(oldSlot.Id)) continue;
            if (!moved.TryGetValue(oldSlot, out var list)) moved[oldSlot] = list = new List<int>();
            list.Add(vb);
        }
        foreach (var (slot, vBuckets) in moved) Fence(slot, vBuckets);
    }

    private void OnFenceDone(NodeMessages.FenceDone done)
    {
        if (!_fences.Remove(done.Token, out var fence)) return;
        foreach (var vb in fence.VBuckets)
        {
            if (!_parked.TryGetValue(vb, out var parked) || !parked.Outstanding.Remove(done.Token)) continue;
            if (parked.Outstanding.Count == 0) Unparked(vb, parked);
        }
    }

    /// <summary>Every fence of the vBucket is answered: release it, or, if it was refused under the map we still have, retry shortly.</summary>
    private void Unparked(int vb, ParkedVBucket parked)
    {
        if (!parked.Refused || (_config is not null && _config.Version.IsNewerThan(parked.VersionAtPark)))
        {
            Release(vb);
            return;
        }
        // Refused under the map we still have: wait a little (RFC 0005's 100 ms) and ask for a newer map.
        parked.WaitingForMap = true;
        RequestConfig();
        Timers.StartSingleTimer($"release-{vb}", new ReleaseVBucket(vb, parked.Id), NotMyVBucketRetryDelay);
    }

    private void ReleaseParkedAfterNewMap()
    {
        foreach (var (vb, _) in _parked.Where(p => p.Value.WaitingForMap && p.Value.Outstanding.Count == 0).ToList())
        {
            Timers.Cancel($"release-{vb}");
            Release(vb);
        }
    }

    /// <summary>Holds a request behind a parked vBucket; counts towards <c>max-backlog</c> with the backlog.</summary>
    private void Hold(ParkedVBucket parked, KvRequest request)
    {
        parked.Held.Add(request);
        _heldInParks++;
        EnsureTicking();
    }

    private void Release(int vb)
    {
        if (!_parked.Remove(vb, out var parked)) return;
        _heldInParks -= parked.Held.Count;
        parked.Held.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        foreach (var request in parked.Held) Route(request);
    }
}
