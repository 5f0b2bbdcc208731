using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Views;

namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>Feeds the view engine from the cluster's buckets (one snapshot per call, taken under the lock).</summary>
internal sealed class ClusterViewSource : IViewDocumentSource
{
    private readonly ClusterModel _model;

    public ClusterViewSource(ClusterModel model) => _model = model;

    public bool BucketExists(string bucket)
    {
        lock (_model.Sync) return _model.Buckets.ContainsKey(bucket);
    }

    public IEnumerable<ViewSourceDocument> Documents(string bucket)
    {
        InProcessBucket? b;
        lock (_model.Sync) _model.Buckets.TryGetValue(bucket, out b);
        if (b is null) return Array.Empty<ViewSourceDocument>();
        return b.Snapshot().Select(d => new ViewSourceDocument(d.Id, d.Value, d.Flags,
            (uint)Math.Clamp(d.Expiry, 0, uint.MaxValue), d.Cas,
            (d.DataType & DataType.Json) != 0 || JsonDetector.IsJson(d.Value))).ToList();
    }

    public long Generation(string bucket)
    {
        lock (_model.Sync) return _model.Buckets.TryGetValue(bucket, out var b) ? b.Generation : -1;
    }
}
