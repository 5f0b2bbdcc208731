using System.Globalization;

namespace Akka.Couchbase.CommandLine;

/// <summary>
/// Reads and checks one command-line option's value for the bench tools (linked into each of them): a bad value
/// throws <see cref="ArgumentException"/> naming the option, the range and what was given.
/// </summary>
internal static class OptionValues
{
    /// <summary>One of <paramref name="allowed"/> (any case), lower-cased.</summary>
    public static string OneOf(string option, string value, params string[] allowed) =>
        allowed.Contains(value, StringComparer.OrdinalIgnoreCase)
            ? value.ToLowerInvariant()
            : throw new ArgumentException($"{option} must be one of {string.Join("|", allowed)}, not '{value}'");

    /// <summary>A number (invariant culture) in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static double Number(string option, string value, double min, double max = double.MaxValue)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || d < min || d > max)
            throw new ArgumentException($"{option} must be a number in [{min}, {max}], not '{value}'");
        return d;
    }

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int Integer(string option, string value, int min, int max = int.MaxValue)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new ArgumentException(max == int.MaxValue
                ? $"{option} must be an integer >= {min}, not '{value}'"
                : $"{option} must be an integer in [{min}, {max}], not '{value}'");
        return n;
    }
}
