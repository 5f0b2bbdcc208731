using System.IO.Compression;
using Akka.Couchbase.Protocol;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Data;

/// <summary>
/// Loads Couchbase's <c>beer-sample</c> data set (a zip with <c>beer-sample/docs/*.json</c> and
/// <c>beer-sample/design_docs/*.json</c>) into a bucket of an <see cref="InProcessCluster"/>. The zip is read in
/// place; nothing is copied.
/// </summary>
public static class BeerSample
{
    /// <summary>Common flags for JSON documents (spec §4.2).</summary>
    public const uint JsonFlags = 0x02000000;

    /// <summary>File name of the data set.</summary>
    public const string FileName = "beer-sample.zip";

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
        using var zip = ZipFile.OpenRead(zipPath);
        foreach (var entry in zip.Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.Length == 0 || !entry.FullName.EndsWith(".json", StringComparison.Ordinal)) continue;
            var parts = entry.FullName.Split('/');
            if (parts.Length < 3) continue;
            var folder = parts[^2];
            var name = parts[^1][..^".json".Length];
            using var stream = entry.Open();
            using var buffer = new MemoryStream((int)entry.Length);
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            if (folder == "docs")
            {
                target.Upsert(name, bytes, JsonFlags, DataType.Json, cluster.KetamaNodeFor(bucket, name));
                count++;
            }
            else if (folder == "design_docs" && name != "indexes")
            {
                var json = System.Text.Encoding.UTF8.GetString(bytes);
                var id = JObject.Parse(json).Value<string>("_id") ?? "_design/" + name;
                cluster.DesignDocuments.Put(bucket, id, json);
            }
        }
        return Task.FromResult(count);
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
}
