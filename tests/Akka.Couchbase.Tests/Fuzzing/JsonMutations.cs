using System.Globalization;
using System.Text;
using CsCheck;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.Tests.Fuzzing;

/// <summary>
/// Generators of JSON a server might send: random text, and valid documents mutated in their structure (any
/// value replaced by one of another type or an extreme number, deep nesting, members removed, renamed or repeated)
/// and then in their text (characters flipped, inserted or deleted, the text cut short).
/// </summary>
internal static class JsonMutations
{
    /// <summary>One value of every JSON type, the numbers at the edges of every integer width, and what only Newtonsoft accepts.</summary>
    public static readonly string[] OddValues =
    [
        "null", "true", "false", "0", "-0", "1", "-1", "3", "4", "255", "256", "1023", "1024", "65535", "65536",
        "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296", "4294967297",
        "4294967298", "-4294967295", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "-9223372036854775809", "18446744073709551615", "18446744073709551616", "18446744073709551617",
        "123456789012345678901234567890123456789", "-99999999999999999999999999999999999999999",
        "1.0", "1.5", "-0.0", "0.1", "1e3", "1e308", "1e309", "-1e309", "1e400", "5e-324", "1E-400",
        "NaN", "Infinity", "-Infinity", "undefined",
        "\"\"", "\"x\"", "\"1\"", "\"-1\"", "\"0x7\"", "\"$HOST\"", "\"host:11210\"", "\"host:0\"", "\"host:65536\"",
        "\"[::1]:11210\"", "\"[::1]\"", "\"[\"", "\"]\"", "\":\"", "\"::\"", "\"vbucket\"", "\"ketama\"", "\"CRC\"",
        "\"\\u0000\"", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"http://\"", "\"http://h:99999/x\"", "\"a:b\"",
        "[]", "[[]]", "[null]", "[-1]", "[0]", "[1]", "[-2]", "[[-1,-1,-1,-1,-1]]", "[\"x\"]", "[{}]",
        "{}", "{\"\":null}", "{\"kv\":0}", "{\"kv\":\"11210\"}", "{\"direct\":70000}", "new Date(1)", "/*c*/1",
    ];

    /// <summary>Any UTF-16 code unit, lone surrogates included (CsCheck's default is printable ASCII).</summary>
    public static readonly Gen<char> AnyChar = Gen.Char['\0', '\uffff'];

    /// <summary>A JSON value, possibly an odd one, possibly nested deeply or very long.</summary>
    public static readonly Gen<string> Value = Gen.Frequency(
        (12, Gen.OneOf(OddValues)),
        (2, Gen.Int[1, 300].Select(d => new string('[', d) + new string(']', d))),
        (1, Gen.Int[1, 300].Select(d => string.Concat(Enumerable.Repeat("{\"a\":", d)) + "1" + new string('}', d))),
        (1, Gen.Int[0, 20_000].Select(n => "\"" + new string('a', n) + "\"")),
        (2, Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "0")),
        (2, Gen.String[AnyChar, 0, 20].Select(s => JsonConvert.ToString(s))));

    /// <summary>Random text over JSON's alphabet (likely to get deep into a parser) or over all of Unicode.</summary>
    public static readonly Gen<string> RandomText = Gen.Frequency(
        (3, Gen.Char["{}[]:,\"\\ 0123456789.eE+-ntrufalsNIy$HOST/*u"].Array[0, 400].Select(c => new string(c))),
        (1, Gen.String[AnyChar, 0, 400]),
        (1, Gen.Byte.Array[0, 400].Select(b => Encoding.UTF8.GetString(b))));

    /// <summary>Documents built from <paramref name="samples"/>: one of them, changed by zero or more structural and text mutations.</summary>
    public static Gen<string> Mutated(params string[] samples) =>
        Gen.Select(Gen.Int[0, samples.Length - 1], Structural.Array[0, 4], Textual.Array[0, 3],
            (i, structural, textual) =>
            {
                var root = JToken.Parse(samples[i]);
                foreach (var m in structural) root = m.Apply(root);
                var text = root.ToString(Formatting.None);
                foreach (var m in textual) text = m.Apply(text);
                return text;
            });

    /// <summary>Documents from <paramref name="samples"/> in which exactly one value was replaced by another value (of any type, or extreme).</summary>
    public static Gen<string> OneValueReplaced(params string[] samples) =>
        Gen.Select(Gen.Int[0, samples.Length - 1], Gen.Int[0, int.MaxValue], Value,
            (i, at, value) => new StructuralMutation(StructuralKind.Replace, at, value, 1).Apply(JToken.Parse(samples[i]))
                .ToString(Formatting.None));

    /// <summary>
    /// <paramref name="sample"/> with one value replaced by each of <see cref="OddValues"/>, for every distinct path
    /// (array elements from the third on count as one path: the rows of a long array repeat the same fields).
    /// </summary>
    public static IEnumerable<string> EveryValueReplaced(string sample)
    {
        var root = JToken.Parse(sample);
        var paths = ((JContainer)root).DescendantsAndSelf()
            .Select(t => t.Path)
            .GroupBy(p => System.Text.RegularExpressions.Regex.Replace(p, @"\[([2-9]|\d\d+)\]", "[n]"))
            .Select(g => g.First())
            .ToList();
        foreach (var path in paths)
        foreach (var value in OddValues)
        {
            if (path.Length == 0)
            {
                yield return value;
                continue;
            }
            var copy = root.DeepClone();
            var target = copy.SelectToken(path, errorWhenNoMatch: true)!;
            target.Replace(new JRaw(value));
            yield return copy.ToString(Formatting.None);
        }
    }

    public enum StructuralKind { Replace, Remove, Repeat, Rename, Wrap }

    /// <summary>A change to one token of the tree, the token chosen by <paramref name="At"/> among all of them in document order.</summary>
    public sealed record StructuralMutation(StructuralKind Kind, int At, string Value, int Count)
    {
        public JToken Apply(JToken root)
        {
            var tokens = root is JContainer c ? c.DescendantsAndSelf().ToList() : [root];
            var target = tokens[At % tokens.Count];
            if (target is JProperty p) target = Kind == StructuralKind.Rename || Kind == StructuralKind.Remove ? p : p.Value;
            switch (Kind)
            {
                case StructuralKind.Replace:
                    return ReplaceWith(root, target, new JRaw(Value));
                case StructuralKind.Wrap:
                    return ReplaceWith(root, target, At % 2 == 0 ? new JArray(target.DeepClone()) : new JObject(new JProperty("a", target.DeepClone())));
                case StructuralKind.Remove when target.Parent is JProperty prop:
                    prop.Remove();
                    return root;
                case StructuralKind.Remove when target.Parent is not null:
                    target.Remove();
                    return root;
                case StructuralKind.Repeat when target.Parent is JArray:
                    for (var k = 0; k < Count; k++) target.AddAfterSelf(target.DeepClone());
                    return root;
                case StructuralKind.Rename when target is JProperty prop && prop.Parent is JObject owner:
                    var renamed = Value.Trim('"');
                    if (owner.ContainsKey(renamed)) return root;
                    prop.Replace(new JProperty(renamed, prop.Value));
                    return root;
                default:
                    return root;
            }
        }

        private static JToken ReplaceWith(JToken root, JToken target, JToken replacement)
        {
            if (ReferenceEquals(target, root)) return replacement;
            target.Replace(replacement);
            return root;
        }
    }

    public static readonly Gen<StructuralMutation> Structural =
        Gen.Select(Gen.Enum<StructuralKind>(), Gen.Int[0, int.MaxValue], Value, Gen.Int[1, 64],
            (kind, at, value, count) => new StructuralMutation(kind, at, value, count));

    public enum TextualKind { Flip, Insert, Delete, Truncate, Duplicate }

    /// <summary>A change to the text at a position (<paramref name="At"/> modulo its length).</summary>
    public sealed record TextualMutation(TextualKind Kind, int At, int Length, string Inserted)
    {
        public string Apply(string text)
        {
            if (text.Length == 0) return Kind == TextualKind.Insert ? Inserted : text;
            var at = At % text.Length;
            var length = Math.Min(Length, text.Length - at);
            return Kind switch
            {
                TextualKind.Flip => text.Substring(0, at) + (Inserted.Length > 0 ? Inserted[0] : '\0') + text.Substring(at + 1),
                TextualKind.Insert => text.Insert(at, Inserted),
                TextualKind.Delete => text.Remove(at, length),
                TextualKind.Truncate => text.Substring(0, at),
                TextualKind.Duplicate => text.Insert(at, text.Substring(at, length)),
                _ => text,
            };
        }
    }

    public static readonly Gen<TextualMutation> Textual =
        Gen.Select(Gen.Enum<TextualKind>(), Gen.Int[0, int.MaxValue], Gen.Int[1, 40],
            Gen.Frequency((3, Gen.Char["{}[]:,\"\\0-9eE.nNI"].Select(c => c.ToString())), (1, Gen.String[0, 8]), (1, Value)),
            (kind, at, length, inserted) => new TextualMutation(kind, at, length, inserted));
}
