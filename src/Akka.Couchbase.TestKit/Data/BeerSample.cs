using System.IO.Compression;
using Akka.Couchbase.Protocol;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Data;

/// <summary>
/// Couchbase's <c>beer-sample</c> data set (a zip with <c>beer-sample/docs/*.json</c> and
/// <c>beer-sample/design_docs/*.json</c>): finds the zip, reads it in place (nothing is copied), loads it into a
/// bucket of an <see cref="InProcessCluster"/>, or starts a cluster with it loaded.
/// </summary>
/// <example>
/// <code>
/// await using var cluster = await BeerSample.StartClusterAsync(BeerSample.LocateZip(), new InProcessClusterOptions { Nodes = 2 });
/// // bucket "beer-sample": 7303 documents and the design document _design/beer
/// </code>
/// </example>
public static class BeerSample
{
    /// <summary>Common flags for JSON documents (spec §4.2).</summary>
    public const uint JsonFlags = 0x02000000;

    /// <summary>File name of the data set.</summary>
    public const string FileName = "beer-sample.zip";

    /// <summary>The bucket the data set is loaded into unless told otherwise.</summary>
    public const string BucketName = "beer-sample";

    /// <summary>
    /// Starts a cluster with <paramref name="options"/> (default: one node) and loads the data set into its bucket
    /// <paramref name="bucket"/>, which is added to the options (Couchbase, 64 vBuckets, 1 replica) when they do not
    /// define it. Returns once the data is loaded; the cluster is stopped again if loading fails.
    /// </summary>
    public static async Task<InProcessCluster> StartClusterAsync(string zipPath, InProcessClusterOptions? options = null,
        string bucket = BucketName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zipPath);
        ArgumentNullException.ThrowIfNull(bucket);
        if (!File.Exists(zipPath)) throw new FileNotFoundException($"beer-sample zip not found at '{zipPath}'", zipPath);
        options ??= new InProcessClusterOptions();
        if (options.Buckets.TrueForAll(b => b.Name != bucket))
            options.Buckets.Add(new BucketDefinition(bucket, BucketType.Couchbase, VBuckets: 64, Replicas: 1));
        var cluster = await InProcessCluster.StartAsync(options, cancellationToken).ConfigureAwait(false);
        try
        {
            await LoadAsync(cluster, bucket, zipPath, cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Loads every document (flags 0x02000000, datatype JSON, key = file name without <c>.json</c>) and every
    /// design document except <c>indexes.json</c> (which is for the query service). Returns the number of
    /// documents loaded.
    /// </summary>
    public static Task<int> LoadAsync(InProcessCluster cluster, string bucket, string zipPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(zipPath);
        if (!File.Exists(zipPath)) throw new FileNotFoundException($"beer-sample zip not found at '{zipPath}'", zipPath);
        var target = cluster.Bucket(bucket);
        var count = 0;
        foreach (var (id, json) in ReadDocuments(zipPath))
        {
            cancellationToken.ThrowIfCancellationRequested();
            target.Upsert(id, json, JsonFlags, DataType.Json, cluster.KetamaNodeFor(bucket, id));
            count++;
        }
        foreach (var (name, json) in ReadDesignDocuments(zipPath))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var text = System.Text.Encoding.UTF8.GetString(json);
            cluster.DesignDocuments.Put(bucket, JObject.Parse(text).Value<string>("_id") ?? "_design/" + name, text);
        }
        return Task.FromResult(count);
    }

    /// <summary>The documents of the data set: key (file name without <c>.json</c>) and JSON bytes, in zip order.</summary>
    public static IEnumerable<(string Id, byte[] Json)> ReadDocuments(string zipPath) => Read(zipPath, "docs");

    /// <summary>
    /// The view design documents of the data set: name (file name without <c>.json</c>, e.g. <c>beer</c>) and JSON
    /// bytes. <c>indexes.json</c>, which holds query service indexes, is left out.
    /// </summary>
    public static IEnumerable<(string Name, byte[] Json)> ReadDesignDocuments(string zipPath) =>
        Read(zipPath, "design_docs").Where(d => d.Name != "indexes");

    private static IEnumerable<(string Name, byte[] Json)> Read(string zipPath, string folder)
    {
        ArgumentNullException.ThrowIfNull(zipPath);
        using var zip = ZipFile.OpenRead(zipPath);
        foreach (var entry in zip.Entries)
        {
            if (entry.Length == 0 || !entry.FullName.EndsWith(".json", StringComparison.Ordinal)) continue;
            var parts = entry.FullName.Split('/');
            if (parts.Length < 3 || parts[^2] != folder) continue;
            using var stream = entry.Open();
            using var buffer = new MemoryStream((int)entry.Length);
            stream.CopyTo(buffer);
            yield return (parts[^1][..^".json".Length], buffer.ToArray());
        }
    }

    /// <summary>
    /// Looks for <c>shared/data/beer-sample.zip</c> in <paramref name="start"/> (default: the current directory)
    /// and its parents, and for a sibling <c>shared/</c> folder of each; null when absent.
    /// </summary>
    public static string? FindZip(string? start = null)
    {
        var dir = new DirectoryInfo(start ?? Directory.GetCurrentDirectory());
        while (dir != null)
        {
            foreach (var candidate in new[]
                     {
                         Path.Combine(dir.FullName, "shared", "data", FileName),
                         Path.Combine(dir.FullName, "data", FileName),
                     })
            {
                if (File.Exists(candidate)) return candidate;
            }
            dir = dir.Parent;
        }
        return null;
    }

    /// <summary>
    /// <see cref="FindZip"/> from the application's base directory, then from the current directory; null when
    /// neither has the zip above it.
    /// </summary>
    public static string? TryLocateZip() => FindZip(AppContext.BaseDirectory) ?? FindZip();

    /// <summary>As <see cref="TryLocateZip"/>, but a missing zip throws a <see cref="FileNotFoundException"/> that says where it was looked for.</summary>
    public static string LocateZip() => TryLocateZip() ?? throw new FileNotFoundException(
        $"{FileName} not found in a shared/data or data folder above {AppContext.BaseDirectory} or {Directory.GetCurrentDirectory()}",
        FileName);
}
