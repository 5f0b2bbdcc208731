namespace Akka.Couchbase;

/// <summary>
/// Builds the specs of a lookup-in in the order they are added:
/// <c>client.LookupInAsync("user::1", specs => specs.Get("name").Exists("email").Count("tags"))</c>.
/// </summary>
public sealed class LookupInSpecBuilder
{
    private readonly List<LookupInSpec> _specs = new(4);

    /// <summary>Reads the value at <paramref name="path"/>.</summary>
    public LookupInSpecBuilder Get(string path, bool xattr = false) => Add(LookupInSpec.Get(path, xattr));

    /// <summary>Whether <paramref name="path"/> exists.</summary>
    public LookupInSpecBuilder Exists(string path, bool xattr = false) => Add(LookupInSpec.Exists(path, xattr));

    /// <summary>The number of elements or entries at <paramref name="path"/>.</summary>
    public LookupInSpecBuilder Count(string path, bool xattr = false) => Add(LookupInSpec.Count(path, xattr));

    /// <summary>The whole document.</summary>
    public LookupInSpecBuilder GetDocument() => Add(LookupInSpec.GetDocument());

    /// <summary>Adds a spec made elsewhere.</summary>
    public LookupInSpecBuilder Add(LookupInSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _specs.Add(spec);
        return this;
    }

    /// <summary>The specs added so far, in order (a copy).</summary>
    public IReadOnlyList<LookupInSpec> Build() => _specs.ToArray();
}
