using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Views;

/// <summary>
/// The built-in reduce functions. Each takes the values of a group (or, with <c>rereduce</c>, earlier results)
/// and returns one value. Numbers that are whole come back as JSON integers.
/// </summary>
public static class ViewReducers
{
    /// <summary>Runs the built-in named <paramref name="name"/> (<c>_count</c>, <c>_sum</c> or <c>_stats</c>).</summary>
    public static JToken Run(string name, IReadOnlyList<JToken> values, bool rereduce) => name switch
    {
        "_count" => Count(values, rereduce),
        "_sum" => Sum(values, rereduce),
        "_stats" => Stats(values, rereduce),
        _ => throw new ArgumentException($"unknown built-in reduce {name}", nameof(name)),
    };

    /// <summary><c>_count</c>: the number of values; on re-reduce, the sum of the counts.</summary>
    public static JToken Count(IReadOnlyList<JToken> values, bool rereduce)
    {
        if (!rereduce) return new JValue((long)values.Count);
        double total = 0;
        foreach (var v in values) total += Numeric(v, "_count");
        return JsViewEngine.Number(total);
    }

    /// <summary>
    /// <c>_sum</c>: the sum of numeric values; arrays of numbers are summed element by element and objects member
    /// by member. Re-reduce is the same operation.
    /// </summary>
    public static JToken Sum(IReadOnlyList<JToken> values, bool rereduce)
    {
        JToken? acc = null;
        foreach (var v in values) acc = acc == null ? SumShape(v) : Add(acc, v);
        return acc ?? new JValue(0L);
    }

    /// <summary>
    /// <c>_stats</c>: <c>{"sum","count","min","max","sumsqr"}</c> of numeric values; values that are already
    /// stats objects (and every value on re-reduce) are merged.
    /// </summary>
    public static JToken Stats(IReadOnlyList<JToken> values, bool rereduce)
    {
        double sum = 0, count = 0, min = double.PositiveInfinity, max = double.NegativeInfinity, sumsqr = 0;
        foreach (var v in values)
        {
            if (v is JObject o)
            {
                sum += Field(o, "sum");
                count += Field(o, "count");
                min = Math.Min(min, Field(o, "min"));
                max = Math.Max(max, Field(o, "max"));
                sumsqr += Field(o, "sumsqr");
            }
            else if (rereduce)
            {
                throw Error("_stats", "re-reduce values must be stats objects");
            }
            else
            {
                var d = Numeric(v, "_stats");
                sum += d;
                count++;
                min = Math.Min(min, d);
                max = Math.Max(max, d);
                sumsqr += d * d;
            }
        }
        if (count == 0) min = max = 0;
        return new JObject
        {
            ["sum"] = JsViewEngine.Number(sum),
            ["count"] = JsViewEngine.Number(count),
            ["min"] = JsViewEngine.Number(min),
            ["max"] = JsViewEngine.Number(max),
            ["sumsqr"] = JsViewEngine.Number(sumsqr),
        };
    }

    private static double Field(JObject o, string name) =>
        o[name] is JValue { Type: JTokenType.Integer or JTokenType.Float } v
            ? ViewCollation.ToDouble(v)
            : throw Error("_stats", $"stats object lacks a numeric `{name}`");

    private static JToken SumShape(JToken v) => v switch
    {
        JValue { Type: JTokenType.Integer or JTokenType.Float } n => JsViewEngine.Number(ViewCollation.ToDouble(n)),
        JArray a => new JArray(a.Select(SumShape)),
        JObject o => new JObject(o.Properties().Select(p => new JProperty(p.Name, SumShape(p.Value)))),
        _ => throw Error("_sum", "values must be numbers, arrays of numbers or objects of numbers"),
    };

    private static JToken Add(JToken acc, JToken v)
    {
        switch (acc, v)
        {
            case (JValue a, JValue { Type: JTokenType.Integer or JTokenType.Float } b) when a.Type is JTokenType.Integer or JTokenType.Float:
                return JsViewEngine.Number(ViewCollation.ToDouble(a) + ViewCollation.ToDouble(b));
            case (JArray a, JArray b):
            {
                var result = new JArray();
                for (var i = 0; i < Math.Max(a.Count, b.Count); i++)
                {
                    if (i >= a.Count) result.Add(SumShape(b[i]));
                    else if (i >= b.Count) result.Add(a[i]);
                    else result.Add(Add(a[i], b[i]));
                }
                return result;
            }
            case (JObject a, JObject b):
            {
                var result = (JObject)a.DeepClone();
                foreach (var p in b.Properties())
                    result[p.Name] = result[p.Name] is { } existing ? Add(existing, p.Value) : SumShape(p.Value);
                return result;
            }
            default:
                throw Error("_sum", "values must all have the same shape: numbers, arrays of numbers or objects of numbers");
        }
    }

    private static double Numeric(JToken v, string function) =>
        v is JValue { Type: JTokenType.Integer or JTokenType.Float } n
            ? ViewCollation.ToDouble(n)
            : throw Error(function, $"values must be numbers, got {v.Type.ToString().ToLowerInvariant()}");

    private static ViewQueryException Error(string function, string reason) =>
        new(500, "builtin_reduce_error", $"the {function} function: {reason}");
}
