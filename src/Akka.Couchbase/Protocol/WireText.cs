using System.Text;

namespace Akka.Couchbase.Protocol;

/// <summary>
/// Strings that become bytes on the wire (keys, stat groups, bucket and user names, passwords). They must be valid
/// UTF-16: a lone surrogate has no UTF-8 form, and a replacing encoder would turn <c>"k\uD800"</c> and
/// <c>"k\uDBFF"</c> into the same bytes (<c>6B EF BF BD</c>), so that two keys would name one document. Such a
/// string is refused before the wire, naming what it was and where the bad character is.
/// </summary>
internal static class WireText
{
    /// <summary>
    /// The UTF-8 byte count of <paramref name="text"/>; throws <see cref="KvInvalidArgumentException"/> when it is not
    /// valid UTF-16, naming it as <paramref name="kind"/> and the text itself (e.g. "key 'k\uD800'"). On the hot path
    /// (every key): nothing is allocated unless it fails.
    /// </summary>
    public static int Utf8Length(string text, string kind)
    {
        // Counting is vectorised; ASCII text needs no other look, and only a failure builds a message.
        var count = Encoding.UTF8.GetByteCount(text);
        if (count == text.Length || IsValid(text)) return count;
        throw new KvInvalidArgumentException(Problem(text, $"{kind} '{Printable(text)}'"));
    }

    /// <summary>
    /// The problem with <paramref name="text"/> as wire text, or null when it is valid UTF-16. <paramref name="what"/>
    /// names it at the start of the message; empty for a text that must not be shown (a password).
    /// </summary>
    public static string? Check(string text, string what) => IsValid(text) ? null : Problem(text, what);

    /// <summary>True when <paramref name="text"/> has no lone (unpaired) surrogate.</summary>
    public static bool IsValid(string text) => FirstLoneSurrogate(text) < 0;

    /// <summary>Index of the first unpaired surrogate in <paramref name="text"/>, or -1.</summary>
    public static int FirstLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsSurrogate(c)) continue;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            return i;
        }
        return -1;
    }

    private static string Problem(string text, string what)
    {
        var index = FirstLoneSurrogate(text);
        return $"{(what.Length == 0 ? "" : what + " ")}is not valid UTF-16: it holds a lone surrogate U+{(int)text[index]:X4} at index {index}, which has " +
               "no UTF-8 form (an encoder would replace it with U+FFFD, so that different strings would reach the server as " +
               "the same bytes)";
    }

    /// <summary>A string as it can be shown in a message: lone surrogates written as \uXXXX, long ones shortened.</summary>
    public static string Printable(string text, int max = 40)
    {
        var shown = text.Length <= max ? text : text.Substring(0, max) + "...";
        if (FirstLoneSurrogate(shown) < 0) return shown;
        var sb = new StringBuilder(shown.Length + 8);
        for (var i = 0; i < shown.Length; i++)
        {
            var c = shown[i];
            if (char.IsHighSurrogate(c) && i + 1 < shown.Length && char.IsLowSurrogate(shown[i + 1]))
            {
                sb.Append(c).Append(shown[++i]);
            }
            else if (char.IsSurrogate(c)) sb.Append("\\u").Append(((int)c).ToString("X4"));
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
