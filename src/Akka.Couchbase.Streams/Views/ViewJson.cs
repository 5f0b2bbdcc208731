using System.Globalization;
using System.Numerics;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.Streams.Views;

/// <summary>
/// The compact form of a row's key or value: JSON null as null, a string as a <see cref="string"/>, an integer as a
/// boxed <see cref="long"/> (or <see cref="BigInteger"/> beyond 64 bits), a float as a boxed <see cref="double"/>, a
/// boolean as a boxed <see cref="bool"/>, and anything else (arrays, objects) as its compact JSON in UTF-8
/// (<see cref="byte"/>[]). No token, no parent, no line info is kept: a row weighs about its bytes on the wire.
/// </summary>
internal static class ViewJson
{
    /// <summary>The boxed booleans every compact form shares.</summary>
    internal static readonly object True = true;

    /// <summary>The boxed false.</summary>
    internal static readonly object False = false;

    /// <summary>The compact form of <paramref name="token"/>.</summary>
    public static object? Compact(JToken token)
    {
        if (token is JValue value)
        {
            switch (value.Type)
            {
                case JTokenType.Null:
                case JTokenType.Undefined:
                    return null;
                case JTokenType.String when value.Value is string s:
                    return s;
                case JTokenType.Integer when value.Value is BigInteger big:
                    return big;
                case JTokenType.Integer when value.Value is IConvertible n:
                    return n.ToInt64(CultureInfo.InvariantCulture);
                case JTokenType.Float when value.Value is double or float:
                    return Convert.ToDouble(value.Value, CultureInfo.InvariantCulture);
                case JTokenType.Boolean when value.Value is bool b:
                    return b ? True : False;
            }
        }
        return Encoding.UTF8.GetBytes(token.ToString(Formatting.None));
    }

    /// <summary>A new token holding <paramref name="compact"/>.</summary>
    public static JToken ToToken(object? compact) => compact switch
    {
        null => JValue.CreateNull(),
        string s => new JValue(s),
        long n => new JValue(n),
        double d => new JValue(d),
        bool b => new JValue(b),
        byte[] json => Parse(json),
        _ => new JValue(compact),
    };

    /// <summary>The compact JSON text of <paramref name="compact"/>.</summary>
    public static string ToJson(object? compact) => compact switch
    {
        null => "null",
        string s => JsonConvert.ToString(s),
        long n => n.ToString(CultureInfo.InvariantCulture),
        double d => JsonConvert.ToString(d),
        bool b => b ? "true" : "false",
        byte[] json => Encoding.UTF8.GetString(json),
        BigInteger big => big.ToString(CultureInfo.InvariantCulture),
        _ => JsonConvert.SerializeObject(compact),
    };

    /// <summary>True when both compact forms are the same JSON.</summary>
    public static bool Same(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
        (null, _) or (_, null) => false,
        _ => a.GetType() == b.GetType() && a.Equals(b),
    };

    private static JToken Parse(byte[] json)
    {
        using var reader = new JsonTextReader(new StreamReader(new MemoryStream(json, writable: false), Encoding.UTF8))
        {
            DateParseHandling = DateParseHandling.None,
            FloatParseHandling = FloatParseHandling.Double,
        };
        return JToken.ReadFrom(reader, NoLineInfo);
    }

    /// <summary>Load settings that keep no line info in the tokens.</summary>
    public static readonly JsonLoadSettings NoLineInfo = new()
    {
        LineInfoHandling = LineInfoHandling.Ignore,
        CommentHandling = CommentHandling.Ignore,
    };
}
