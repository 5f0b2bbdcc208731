namespace Akka.Couchbase;

/// <summary>
/// One read of a <see cref="Kv.LookupIn"/>: made by <see cref="Get"/>, <see cref="Exists"/>, <see cref="Count"/> or
/// <see cref="GetDocument"/> (or a <see cref="LookupInSpecBuilder"/>). Paths use the server's syntax:
/// <c>a.b[2].c</c>, <c>[-1]</c> for the last element, backticks around a component holding <c>.</c>, <c>[</c> or
/// <c>]</c> (<c>`a.b`.c</c>; two backticks inside are one literal backtick).
/// </summary>
public sealed record LookupInSpec
{
    private LookupInSpec(LookupInOperation operation, string path, bool xattr)
    {
        Operation = operation;
        Path = path;
        Xattr = xattr;
    }

    /// <summary>What it reads.</summary>
    public LookupInOperation Operation { get; }

    /// <summary>The path (empty for <see cref="LookupInOperation.GetDocument"/>, and for a count of the document's top level).</summary>
    public string Path { get; }

    /// <summary>The path's first component names an extended attribute of the document (needs HELLO Xattr).</summary>
    public bool Xattr { get; }

    /// <summary>Reads the value at <paramref name="path"/> (not empty).</summary>
    public static LookupInSpec Get(string path, bool xattr = false) => new(LookupInOperation.Get, path, xattr);

    /// <summary>Whether <paramref name="path"/> (not empty) exists; read it with <see cref="LookupInResult.Exists"/>.</summary>
    public static LookupInSpec Exists(string path, bool xattr = false) => new(LookupInOperation.Exists, path, xattr);

    /// <summary>The number of elements (array) or entries (dictionary) at <paramref name="path"/>; empty for the document's top level.</summary>
    public static LookupInSpec Count(string path, bool xattr = false) => new(LookupInOperation.Count, path, xattr);

    /// <summary>The whole document (its body, as a Get would read it).</summary>
    public static LookupInSpec GetDocument() => new(LookupInOperation.GetDocument, "", false);

    /// <inheritdoc />
    public override string ToString() => $"{Operation}({(Xattr ? "xattr " : "")}'{Path}')";
}
