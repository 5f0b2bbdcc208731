namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>
/// The rules for scope and collection names. The cluster manager (ns_server 7.6, <c>menelaus_web_collections</c>)
/// takes 1 to 251 characters of <c>A-Z a-z 0-9 _ - %</c>, the first not <c>_</c> or <c>%</c> for names users
/// create; the data service (kv_engine <c>Manifest::validName</c>) also takes <c>$</c> but not first, and no
/// first-character rule, when it reads a path (GET_COLLECTION_ID).
/// </summary>
internal static class CollectionNames
{
    /// <summary>The longest name either side takes.</summary>
    public const int MaxLength = 251;

    public const string DefaultName = "_default";
    public const string SystemScope = "_system";

    /// <summary>
    /// What the cluster manager says of a name a user wants to create (the message of its form validation), or null
    /// when it is fine. The checks run in the server's order and the first failure is the answer.
    /// </summary>
    public static string? RestProblem(string name)
    {
        var length = name.EnumerateRunes().Count();
        if (length is < 1 or > MaxLength)
            return $"Name length ({length}) must be in the range from 1 to {MaxLength}, inclusive";
        foreach (var c in name)
            if (!IsNameChar(c))
                return "Can only contain characters A-Z, a-z, 0-9 and the following symbols _ - %";
        if (name[0] is '_' or '%') return "First character must not be _ or %";
        return null;
    }

    /// <summary>Whether the data service accepts <paramref name="name"/> inside a path.</summary>
    public static bool ValidInPath(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxLength || name[0] == '$') return false;
        foreach (var c in name)
            if (!IsNameChar(c) && c != '$') return false;
        return true;
    }

    private static bool IsNameChar(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '%';
}
