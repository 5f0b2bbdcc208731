using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Views;

/// <summary>
/// The view key order: <c>null</c> &lt; <c>false</c> &lt; <c>true</c> &lt; numbers &lt; strings &lt; arrays
/// (element by element, shorter first) &lt; objects (member by member). Strings follow Unicode collation,
/// case-insensitive first and lower case before upper case on a tie (<c>"abc" &lt; "ABC" &lt; "abd"</c>).
/// </summary>
/// <remarks>
/// Strings use the invariant culture's collation when the runtime has ICU (checked once at start); without it
/// (invariant globalization mode) a built-in approximation is used: punctuation and spaces, then digits, then
/// letters compared case-insensitively, then lower case before upper case. Either way, strings that collate
/// equal are ordered by ordinal comparison, so the order is total and equal means identical.
/// </remarks>
public static class ViewCollation
{
    private static readonly CompareInfo Invariant = CultureInfo.InvariantCulture.CompareInfo;

    /// <summary>True when string comparison uses the culture collation (ICU), false when it uses the built-in fallback.</summary>
    public static bool UsesCultureCollation { get; } = DetectCultureCollation();

    /// <summary>A comparer over <see cref="JToken"/> keys.</summary>
    public static IComparer<JToken?> Comparer { get; } = new TokenComparer();

    /// <summary>Compares two JSON values in view order; a null reference counts as JSON null.</summary>
    public static int Compare(JToken? a, JToken? b)
    {
        var ra = Rank(a);
        var rb = Rank(b);
        if (ra != rb) return ra < rb ? -1 : 1;
        switch (ra)
        {
            case 0:
            case 1:
            case 2:
                return 0;
            case 3:
                return ToDouble((JValue)a!).CompareTo(ToDouble((JValue)b!));
            case 4:
                return CompareStrings(StringOf((JValue)a!), StringOf((JValue)b!));
            case 5:
            {
                var x = (JArray)a!;
                var y = (JArray)b!;
                var n = Math.Min(x.Count, y.Count);
                for (var i = 0; i < n; i++)
                {
                    var c = Compare(x[i], y[i]);
                    if (c != 0) return c;
                }
                return x.Count.CompareTo(y.Count);
            }
            default:
            {
                var x = ((JObject)a!).Properties().ToList();
                var y = ((JObject)b!).Properties().ToList();
                var n = Math.Min(x.Count, y.Count);
                for (var i = 0; i < n; i++)
                {
                    var c = CompareStrings(x[i].Name, y[i].Name);
                    if (c != 0) return c;
                    c = Compare(x[i].Value, y[i].Value);
                    if (c != 0) return c;
                }
                return x.Count.CompareTo(y.Count);
            }
        }
    }

    /// <summary>Compares two strings in view order (see the class remarks).</summary>
    public static int CompareStrings(string a, string b)
    {
        if (ReferenceEquals(a, b)) return 0;
        var c = UsesCultureCollation ? Invariant.Compare(a, b, CompareOptions.None) : FallbackCompare(a, b);
        if (c != 0) return c < 0 ? -1 : 1;
        c = string.CompareOrdinal(a, b);
        return c < 0 ? -1 : c > 0 ? 1 : 0;
    }

    /// <summary>The built-in string collation used when ICU is unavailable (exposed for tests).</summary>
    public static int FallbackCompare(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var pa = PrimaryWeight(a[i]);
            var pb = PrimaryWeight(b[i]);
            if (pa != pb) return pa < pb ? -1 : 1;
        }
        if (a.Length != b.Length) return a.Length < b.Length ? -1 : 1;
        for (var i = 0; i < n; i++)
        {
            var ca = a[i];
            var cb = b[i];
            if (ca == cb) continue;
            var la = char.IsLower(ca);
            var lb = char.IsLower(cb);
            if (la && !lb) return -1;
            if (!la && lb) return 1;
            return ca < cb ? -1 : 1;
        }
        return 0;
    }

    private static int PrimaryWeight(char c)
    {
        if (char.IsLetter(c)) return (3 << 16) | char.ToLowerInvariant(c);
        if (char.IsDigit(c)) return (2 << 16) | c;
        return (1 << 16) | c;
    }

    /// <summary>0 null, 1 false, 2 true, 3 number, 4 string, 5 array, 6 object.</summary>
    private static int Rank(JToken? t)
    {
        if (t is null) return 0;
        switch (t.Type)
        {
            case JTokenType.Null:
            case JTokenType.Undefined:
            case JTokenType.None:
                return 0;
            case JTokenType.Boolean:
                return (bool)((JValue)t).Value! ? 2 : 1;
            case JTokenType.Integer:
            case JTokenType.Float:
                return 3;
            case JTokenType.String:
                return 4;
            case JTokenType.Array:
                return 5;
            case JTokenType.Object:
                return 6;
            case JTokenType.Date:
            case JTokenType.Guid:
            case JTokenType.Uri:
            case JTokenType.TimeSpan:
                return 4;
            default:
                return 0;
        }
    }

    internal static double ToDouble(JValue v) => v.Value switch
    {
        double d => d,
        long l => l,
        int i => i,
        System.Numerics.BigInteger b => (double)b,
        decimal m => (double)m,
        null => 0,
        var o => Convert.ToDouble(o, CultureInfo.InvariantCulture),
    };

    private static string StringOf(JValue v) =>
        v.Value as string ?? Convert.ToString(v.Value, CultureInfo.InvariantCulture) ?? "";

    private static bool DetectCultureCollation()
    {
        try
        {
            return Invariant.Compare("abc", "ABC", CompareOptions.None) < 0
                && Invariant.Compare("ABC", "abd", CompareOptions.None) < 0
                && Invariant.Compare("a", "B", CompareOptions.None) < 0;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private sealed class TokenComparer : IComparer<JToken?>
    {
        public int Compare(JToken? x, JToken? y) => ViewCollation.Compare(x, y);
    }
}
