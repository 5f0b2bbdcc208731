namespace Akka.Couchbase.TestKit.Rest;

/// <summary>An <c>application/x-www-form-urlencoded</c> body as (name, value) pairs in order, repeats kept.</summary>
internal static class FormFields
{
    public static List<KeyValuePair<string, string>> Parse(string body) =>
        body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => new KeyValuePair<string, string>(Decode(p[0]), p.Length > 1 ? Decode(p[1]) : ""))
            .ToList();

    private static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
}
