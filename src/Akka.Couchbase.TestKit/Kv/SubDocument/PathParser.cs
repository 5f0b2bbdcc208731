using System.Text;
using Akka.Couchbase.Protocol;

namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>
/// The sub-document path grammar, as subjson parses it (<c>subdoc/path.cc</c>): <c>a.b[2]</c>, <c>[-1]</c> for the
/// last element (no other negative index), backticks around a key (or part of it) escape <c>.</c>, <c>[</c> and
/// <c>]</c> with <c>``</c> for a literal backtick, JSON escapes in keys (but no <c>\u</c>, no raw <c>"</c> or control
/// characters), at most <see cref="MaxComponents"/> components.
/// </summary>
internal static class PathParser
{
    /// <summary>Components a path may have (subjson's MAX_COMPONENTS, which counts the root too).</summary>
    public const int MaxComponents = 31;

    /// <summary>Parses <paramref name="path"/>; the status is PathInvalid (0xc2) or PathTooBig (0xc3) when it fails.</summary>
    public static KvStatus Parse(string path, out List<PathComponent> components)
    {
        components = new List<PathComponent>();
        var i = 0;
        while (i < path.Length)
        {
            KvStatus status;
            if (path[i] == '[')
            {
                status = ParseBracket(path, ref i, components);
                if (status == KvStatus.Success && i < path.Length)
                {
                    if (path[i] == '.') i++;
                    else if (path[i] != '[') return SubDocStatus.PathInvalid;
                }
            }
            else
            {
                status = ParseKey(path, ref i, components);
            }
            if (status != KvStatus.Success) return status;
        }
        return KvStatus.Success;
    }

    private static KvStatus ParseBracket(string path, ref int i, List<PathComponent> components)
    {
        var close = path.IndexOf(']', i + 1);
        if (close < 0) return SubDocStatus.PathInvalid;
        var digits = path.AsSpan(i + 1, close - i - 1);
        i = close + 1;
        long index;
        if (digits.Length > 0 && digits[0] == '-')
        {
            if (digits is not "-1") return SubDocStatus.PathInvalid;
            index = -1;
        }
        else
        {
            index = 0; // "[]" is index 0, as subjson reads it
            foreach (var c in digits)
            {
                if (c is < '0' or > '9') return SubDocStatus.PathInvalid;
                if (index > (long.MaxValue - (c - '0')) / 10) return SubDocStatus.PathInvalid;
                index = index * 10 + (c - '0');
            }
        }
        return Add(components, PathComponent.At(index));
    }

    private static KvStatus ParseKey(string path, ref int i, List<PathComponent> components)
    {
        var start = i;
        var inBackticks = false;
        var inEscape = false;
        var backticks = 0;
        var end = path.Length;
        var next = path.Length;
        for (var j = start; j < path.Length; j++)
        {
            var c = path[j];
            if (inEscape)
            {
                if (c is not ('"' or '/' or '\\' or 'b' or 'f' or 'n' or 'r' or 't')) return SubDocStatus.PathInvalid; // \u is refused too
                inEscape = false;
            }
            else if (c == '\\')
            {
                inEscape = true;
            }
            else if (c == '"' || c < 0x1f)
            {
                return SubDocStatus.PathInvalid;
            }
            if (c == '`')
            {
                backticks++;
                inBackticks = !inBackticks;
            }
            if (inBackticks) continue;
            if (c == ']') return SubDocStatus.PathInvalid;
            if (c is '[' or '.')
            {
                if (inEscape) return SubDocStatus.PathInvalid;
                end = j;
                next = c == '.' ? j + 1 : j;
                break;
            }
        }
        if (end == path.Length && (inBackticks || inEscape)) return SubDocStatus.PathInvalid;
        i = next;
        var raw = path.Substring(start, end - start);
        if (raw.Length > 1 && raw[0] == '`' && raw[^1] == '`')
        {
            raw = raw.Substring(1, raw.Length - 2);
            backticks -= 2;
        }
        if (components.Count == MaxComponents) return SubDocStatus.PathTooBig;
        if (raw.Length == 0) return SubDocStatus.PathInvalid;
        if (backticks != 0) raw = Unbacktick(raw);
        return Add(components, PathComponent.Key(Unescape(raw), raw));
    }

    private static KvStatus Add(List<PathComponent> components, PathComponent component)
    {
        if (components.Count == MaxComponents) return SubDocStatus.PathTooBig;
        components.Add(component);
        return KvStatus.Success;
    }

    /// <summary>Drops single backticks and turns each doubled one into one (subjson's convert_escaped).</summary>
    private static string Unbacktick(string raw)
    {
        var sb = new StringBuilder(raw.Length);
        for (var k = 0; k < raw.Length; k++)
        {
            if (raw[k] != '`') sb.Append(raw[k]);
            else if (k + 1 < raw.Length && raw[k + 1] == '`') sb.Append(raw[k++]);
        }
        return sb.ToString();
    }

    /// <summary>Decodes the JSON escapes the grammar allows, so the key compares with decoded document keys.</summary>
    private static string Unescape(string raw)
    {
        if (raw.IndexOf('\\') < 0) return raw;
        var sb = new StringBuilder(raw.Length);
        for (var k = 0; k < raw.Length; k++)
        {
            if (raw[k] != '\\' || k + 1 >= raw.Length)
            {
                sb.Append(raw[k]);
                continue;
            }
            var e = raw[++k];
            sb.Append(e switch { 'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t', _ => e });
        }
        return sb.ToString();
    }
}
