using System.IO.Compression;
using System.Text;

namespace Akka.Couchbase.TestKit.Tests.Views;

/// <summary>Reads the beer-sample data set from <c>../shared/data/beer-sample.zip</c> next to the repository.</summary>
internal static class BeerSample
{
    private const string DocsPrefix = "beer-sample/docs/";
    private const string DesignDocEntry = "beer-sample/design_docs/beer.json";

    public static string ZipPath()
    {
        var searched = new List<string>();
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            searched.Add(dir.FullName);
            if (File.Exists(Path.Combine(dir.FullName, "Akka.Couchbase.sln")))
            {
                var zip = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "beer-sample.zip"));
                if (!File.Exists(zip))
                    throw new FileNotFoundException(
                        $"The beer-sample data set is missing: looked for {zip} (../shared/data/beer-sample.zip from the repository root {dir.FullName}).",
                        zip);
                return zip;
            }
        }
        throw new DirectoryNotFoundException(
            "Could not find the repository root (a folder holding Akka.Couchbase.sln) above "
            + AppContext.BaseDirectory + "; searched: " + string.Join(", ", searched)
            + ". The beer-sample data set is expected at ../shared/data/beer-sample.zip from that root.");
    }

    /// <summary>Loads every document into <paramref name="source"/> under <paramref name="bucket"/> and returns the design document JSON.</summary>
    public static (int Documents, string DesignDocument) Load(InMemoryViewSource source, string bucket)
    {
        using var zip = ZipFile.OpenRead(ZipPath());
        var count = 0;
        string? ddoc = null;
        source.AddBucket(bucket);
        foreach (var entry in zip.Entries)
        {
            if (entry.FullName == DesignDocEntry)
            {
                using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
                ddoc = reader.ReadToEnd();
            }
            else if (entry.FullName.StartsWith(DocsPrefix, StringComparison.Ordinal) && entry.FullName.EndsWith(".json", StringComparison.Ordinal))
            {
                var id = entry.FullName[DocsPrefix.Length..^".json".Length];
                using var stream = entry.Open();
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                source.Put(bucket, id, buffer.ToArray(), isJson: true, flags: 0x02000006);
                count++;
            }
        }
        return (count, ddoc ?? throw new InvalidDataException($"{DesignDocEntry} is missing from {ZipPath()}"));
    }
}
