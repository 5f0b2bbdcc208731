namespace Akka.Couchbase.Hosting;

/// <summary>
/// Checks that a piece of HOCON closes every object, list and string it opens and closes nothing it did not open,
/// outside strings and comments. Akka's HOCON parser stops silently at a stray closing brace and never returns from
/// a list left open before more text, so raw HOCON is checked with this before it is parsed.
/// </summary>
internal static class HoconBalance
{
    /// <summary>Null when balanced, else what is wrong and where (1-based line).</summary>
    public static string? Problem(string hocon)
    {
        var open = new Stack<(char Bracket, int Line)>();
        var line = 1;
        for (var i = 0; i < hocon.Length; i++)
        {
            var c = hocon[i];
            switch (c)
            {
                case '\n':
                    line++;
                    break;
                case '#':
                    i = EndOfLine(hocon, i);
                    break;
                case '/' when At(hocon, i, "//"):
                    i = EndOfLine(hocon, i);
                    break;
                case '"' when At(hocon, i, "\"\"\""):
                {
                    var end = hocon.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                    if (end < 0) return $"a \"\"\" string opened on line {line} is not closed";
                    // A triple-quoted string ends at its last run of quotes.
                    while (end + 3 < hocon.Length && hocon[end + 3] == '"') end++;
                    line += Count(hocon, i, end, '\n');
                    i = end + 2;
                    break;
                }
                case '"':
                {
                    var start = line;
                    for (i++; ; i++)
                    {
                        if (i >= hocon.Length || hocon[i] == '\n') return $"a string opened on line {start} is not closed on that line";
                        if (hocon[i] == '\\') i++;
                        else if (hocon[i] == '"') break;
                    }
                    break;
                }
                case '{' or '[':
                    open.Push((c, line));
                    break;
                case '}' or ']':
                    var expected = c == '}' ? '{' : '[';
                    if (open.Count == 0) return $"'{c}' on line {line} closes nothing";
                    var (bracket, at) = open.Pop();
                    if (bracket != expected) return $"'{c}' on line {line} closes the '{bracket}' of line {at}";
                    break;
            }
        }
        return open.Count == 0 ? null : $"the '{open.Peek().Bracket}' of line {open.Peek().Line} is not closed";
    }

    private static bool At(string text, int index, string token) =>
        string.CompareOrdinal(text, index, token, 0, token.Length) == 0;

    private static int EndOfLine(string text, int index)
    {
        var end = text.IndexOf('\n', index);
        return end < 0 ? text.Length : end - 1;
    }

    private static int Count(string text, int from, int to, char c)
    {
        var n = 0;
        for (var i = from; i < to; i++) if (text[i] == c) n++;
        return n;
    }
}
