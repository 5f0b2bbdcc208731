using System.Text;

namespace Akka.Couchbase.Protocol.SubDocument;

/// <summary>
/// Checks a sub-document path before it goes out (kv_engine <c>docs/SubDocument.md</c>, "Path"): dots separate
/// components, <c>[n]</c> indexes an array (<c>[-1]</c> is the last element), backticks escape <c>.</c>, <c>[</c> and
/// <c>]</c> inside a component (two backticks inside an escape are one literal backtick), and a path holds at most
/// <see cref="SubDocumentLimits.MaxPathBytes"/> UTF-8 bytes. Only what is certain to be refused is refused here;
/// the server judges the rest (it answers PathInvalid).
/// </summary>
internal static class SubDocumentPath
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The path's UTF-8 bytes, as sent.</summary>
    /// <exception cref="ArgumentException">The path is not valid UTF-16 (checked by <see cref="Problem"/> first).</exception>
    public static byte[] Encode(string path) => StrictUtf8.GetBytes(path);

    /// <summary>What is wrong with <paramref name="path"/>, or null when it may be sent. An empty path is not judged here.</summary>
    public static string? Problem(string path)
    {
        int length;
        try
        {
            length = StrictUtf8.GetByteCount(path);
        }
        catch (ArgumentException)
        {
            return "it is not valid UTF-16 (a lone surrogate)";
        }
        if (length > SubDocumentLimits.MaxPathBytes)
            return $"it is {length} UTF-8 bytes; the server's limit is {SubDocumentLimits.MaxPathBytes}";

        var escapeOpenedAt = -1;
        var bracketOpenedAt = -1;
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (escapeOpenedAt >= 0)
            {
                if (c != '`') continue;
                if (i + 1 < path.Length && path[i + 1] == '`') i++; // a literal backtick
                else escapeOpenedAt = -1;
                continue;
            }
            if (bracketOpenedAt >= 0)
            {
                if (c == '[') return $"'[' at position {i} opens inside the '[' at position {bracketOpenedAt}";
                if (c != ']') continue;
                var index = path.AsSpan(bracketOpenedAt + 1, i - bracketOpenedAt - 1);
                if (!IsIndex(index))
                    return $"'[{index.ToString()}]' at position {bracketOpenedAt} is not an array index (a number, or -1 for the last element)";
                bracketOpenedAt = -1;
                continue;
            }
            switch (c)
            {
                case '`':
                    escapeOpenedAt = i;
                    break;
                case '[':
                    bracketOpenedAt = i;
                    break;
                case ']':
                    return $"']' at position {i} closes no '['";
            }
        }
        if (escapeOpenedAt >= 0) return $"the backtick at position {escapeOpenedAt} is not closed";
        if (bracketOpenedAt >= 0) return $"'[' at position {bracketOpenedAt} is not closed";
        return null;
    }

    private static bool IsIndex(ReadOnlySpan<char> text)
    {
        if (text.Length > 0 && text[0] == '-') text = text.Slice(1);
        if (text.IsEmpty) return false;
        foreach (var c in text)
            if (c is < '0' or > '9') return false;
        return true;
    }
}
