namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>
/// One step of a sub-document path: a dictionary key (<see cref="Name"/> with JSON escapes decoded, <see cref="RawName"/>
/// as written, for a key the path creates) or an array index (-1 = the last element).
/// </summary>
internal readonly record struct PathComponent(string? Name, string? RawName, long Index)
{
    public bool IsIndex => Name is null;

    public static PathComponent Key(string name, string rawName) => new(name, rawName, 0);

    public static PathComponent At(long index) => new(null, null, index);
}
