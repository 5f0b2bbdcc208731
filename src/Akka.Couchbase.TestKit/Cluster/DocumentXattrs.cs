using System.Text;

namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>
/// The extended attributes of one document, kept beside its body: each key with its value's JSON text, ordered by
/// key as the server rewrites them. Keys starting with <c>_</c> are system xattrs (they outlive a delete in the
/// tombstone); the rest are user xattrs. Immutable: a mutation makes a new set.
/// </summary>
internal sealed class DocumentXattrs
{
    public static readonly DocumentXattrs Empty = new(Array.Empty<KeyValuePair<string, string>>());

    private DocumentXattrs(IReadOnlyList<KeyValuePair<string, string>> entries) => Entries = entries;

    /// <summary>Key and JSON text of each xattr.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Entries { get; }

    public bool IsEmpty => Entries.Count == 0;

    /// <summary>Whether any system xattr (key starting with <c>_</c>) is present.</summary>
    public bool HasSystem => Entries.Any(e => IsSystemKey(e.Key));

    /// <summary>Bytes the user xattrs take (they share the document's size limit with the body).</summary>
    public int UserBytes => Entries.Where(e => !IsSystemKey(e.Key))
        .Sum(e => Encoding.UTF8.GetByteCount(e.Key) + Encoding.UTF8.GetByteCount(e.Value) + 6);

    public static bool IsSystemKey(string key) => key.Length > 0 && key[0] == '_';

    /// <summary>A set of <paramref name="entries"/>, ordered by key.</summary>
    public static DocumentXattrs Of(IEnumerable<KeyValuePair<string, string>> entries)
    {
        var sorted = entries.OrderBy(e => e.Key, StringComparer.Ordinal).ToArray();
        return sorted.Length == 0 ? Empty : new DocumentXattrs(sorted);
    }

    /// <summary>Only the system xattrs (what a deletion leaves in the tombstone).</summary>
    public DocumentXattrs SystemOnly() => Of(Entries.Where(e => IsSystemKey(e.Key)));
}
