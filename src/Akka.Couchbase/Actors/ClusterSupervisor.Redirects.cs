using Akka.Actor;
using Akka.Couchbase.Routing;

namespace Akka.Couchbase.Actors;

/// <summary>
/// NOT_MY_VBUCKET handling that keeps per-key order: the vBucket is parked, every node that refused it gets a fence
/// (a NOOP answered only after everything written before it), and when the fences are back the refused requests
/// are sent again in their original order, followed by those that arrived meanwhile.
/// </summary>
internal sealed partial class ClusterSupervisor
{
    private static readonly TimeSpan NotMyVBucketRetryDelay = TimeSpan.FromMilliseconds(100);

    private sealed class ParkedVBucket
    {
        public ParkedVBucket(long token, ConfigVersion versionAtPark)
        {
            Token = token;
            VersionAtPark = versionAtPark;
        }

        public long Token { get; }
        public ConfigVersion VersionAtPark { get; }
        public List<KvRequest> Refused { get; } = new();
        public List<KvRequest> Later { get; } = new();
        public HashSet<int> FencedNodes { get; } = new();
        public int FencesOutstanding { get; set; }
        public bool WaitingForMap { get; set; }
        public IEnumerable<KvRequest> All => Refused.Concat(Later);

        public void FailExpired(long now, int vb)
        {
            Expire(Refused, now, vb);
            Expire(Later, now, vb);
        }

        private static void Expire(List<KvRequest> requests, long now, int vb)
        {
            for (var i = requests.Count - 1; i >= 0; i--)
            {
                var r = requests[i];
                if (!r.IsExpired(now)) continue;
                requests.RemoveAt(i);
                r.Fail(new KvTimeoutException(
                    $"{r.Opcode} '{r.Key}' timed out after {r.Timeout.TotalMilliseconds}ms waiting for vBucket {vb} to move " +
                    "(NOT_MY_VBUCKET; no node owns it in the current cluster map yet)", r.Context(0, requests.Count)));
            }
        }
    }

    private void OnNotMyVBucket(NodeMessages.NotMyVBucket nmvb)
    {
        var request = nmvb.Request;
        request.AddRetryReason("KV_NOT_MY_VBUCKET");
        var vb = request.VBucket;
        if (!_parked.TryGetValue(vb, out var parked))
        {
            parked = new ParkedVBucket(++_fenceToken, _config?.Version ?? ConfigVersion.None);
            _parked[vb] = parked;
        }
        parked.Refused.Add(request);
        if (parked.FencedNodes.Add(nmvb.NodeIndex) && _slots.TryGetValue(nmvb.NodeIndex, out var slot))
        {
            parked.FencesOutstanding++;
            slot.Actor.Tell(new NodeMessages.Fence(vb, parked.Token));
        }
        if (nmvb.ConfigJson is not null && _slots.TryGetValue(nmvb.NodeIndex, out var from))
            ApplyConfig(nmvb.ConfigJson, from.Host);
        else
            RequestConfig();
    }

    private void OnFenceDone(NodeMessages.FenceDone done)
    {
        if (!_parked.TryGetValue(done.VBucket, out var parked) || parked.Token != done.Token) return;
        if (--parked.FencesOutstanding > 0) return;
        if (_config is not null && _config.Version.IsNewerThan(parked.VersionAtPark))
        {
            Release(done.VBucket);
            return;
        }
        // Same map as when the node refused: wait a little (RFC 0005's 100 ms), and ask for a newer map meanwhile.
        parked.WaitingForMap = true;
        RequestConfig();
        Timers.StartSingleTimer($"release-{done.VBucket}", new ReleaseVBucket(done.VBucket, parked.Token),
            NotMyVBucketRetryDelay);
    }

    private void ReleaseParkedAfterNewMap()
    {
        foreach (var (vb, parked) in _parked.Where(p => p.Value.WaitingForMap).ToList())
        {
            Timers.Cancel($"release-{vb}");
            Release(vb);
        }
    }

    private void Release(int vb)
    {
        if (!_parked.Remove(vb, out var parked)) return;
        foreach (var request in parked.Refused) Route(request);
        foreach (var request in parked.Later) Route(request);
    }
}
