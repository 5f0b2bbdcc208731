using System.Collections.Concurrent;
using System.Text;
using Akka.Couchbase.TestKit.Views;

namespace Akka.Couchbase.TestKit.Tests.Views;

/// <summary>A dictionary-backed document source for view tests, with a change counter per bucket.</summary>
internal sealed class InMemoryViewSource : IViewDocumentSource
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, ViewSourceDocument>> _buckets = new();
    private readonly ConcurrentDictionary<string, long> _generations = new();
    private long _cas;

    /// <summary>When false, <see cref="Generation"/> reports "unknown" and every query rebuilds.</summary>
    public bool TrackGenerations { get; set; } = true;

    public void AddBucket(string bucket) => _buckets.TryAdd(bucket, new ConcurrentDictionary<string, ViewSourceDocument>());

    public void Put(string bucket, string id, string json, uint flags = 0x02000006) =>
        Put(bucket, id, Encoding.UTF8.GetBytes(json), isJson: true, flags);

    public void Put(string bucket, string id, byte[] value, bool isJson, uint flags = 0)
    {
        AddBucket(bucket);
        _buckets[bucket][id] = new ViewSourceDocument(id, value, flags, 0, (ulong)Interlocked.Increment(ref _cas), isJson);
        _generations.AddOrUpdate(bucket, 1, (_, g) => g + 1);
    }

    public void Remove(string bucket, string id)
    {
        if (_buckets.TryGetValue(bucket, out var docs) && docs.TryRemove(id, out _))
            _generations.AddOrUpdate(bucket, 1, (_, g) => g + 1);
    }

    public bool BucketExists(string bucket) => _buckets.ContainsKey(bucket);

    public IEnumerable<ViewSourceDocument> Documents(string bucket) =>
        _buckets.TryGetValue(bucket, out var docs) ? docs.Values.ToArray() : Array.Empty<ViewSourceDocument>();

    public long Generation(string bucket) =>
        TrackGenerations ? _generations.GetValueOrDefault(bucket) : -1;
}
