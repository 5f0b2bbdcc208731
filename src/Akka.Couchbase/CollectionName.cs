namespace Akka.Couchbase;

/// <summary>
/// The rules for scope and collection names (kv_engine docs/Collections.md): 1 to 251 characters of
/// <c>A-Z a-z 0-9 _ - %</c>; a name starting with <c>_</c> or <c>%</c> is reserved to the system, except
/// <c>_default</c>. <c>_default._default</c> is every bucket's default collection (id 0).
/// </summary>
public static class CollectionName
{
    /// <summary>The default scope and the default collection: <c>_default</c>.</summary>
    public const string Default = "_default";

    /// <summary>Why <paramref name="name"/> is no scope or collection name, or null when it is one.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "is empty";
        if (name.Length > 251) return $"has {name.Length} characters (at most 251)";
        foreach (var c in name)
            if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' or '-' or '%'))
                return $"contains '{c}' (allowed: letters, digits, _ - %)";
        if ((name[0] is '_' or '%') && name != Default) return $"starts with '{name[0]}', which only system names may";
        return null;
    }

    /// <summary><c>scope.collection</c>, as GET_COLLECTION_ID and failures name a collection.</summary>
    public static string Path(string scope, string collection) => scope + "." + collection;

    /// <summary>Whether the names are the default collection.</summary>
    public static bool IsDefault(string scope, string collection) => scope == Default && collection == Default;
}
