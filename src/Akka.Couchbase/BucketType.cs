namespace Akka.Couchbase;

/// <summary>How keys are mapped to nodes.</summary>
public enum BucketType
{
    /// <summary>A Couchbase bucket: vBucket routing from the cluster map.</summary>
    Couchbase,
    /// <summary>A memcached bucket: ketama over a static node list.</summary>
    Memcached,
}
