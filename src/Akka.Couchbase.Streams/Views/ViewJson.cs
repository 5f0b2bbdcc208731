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
    private static readonly object True = true;
    private static readonly object False = false;

    /// <summary>
    /// Reads the value <paramref name="reader"/> is positioned on (its first token) into the compact form, leaving
    /// the reader on its last token. Arrays and objects are written by <paramref name="writer"/>, reused from value to
    /// value (a JSON writer is back at its start after each whole value). Completes synchronously when the value's
    /// tokens are already buffered (no allocation beyond the value itself).
    /// </summary>
    /// <exception cref="JsonReaderException">The token is not the start of a value.</exception>
    public static ValueTask<object?> ReadAsync(JsonReader reader, CompactWriter writer, CancellationToken ct)
    {
        switch (reader.TokenType)
        {
            case JsonToken.Null:
            case JsonToken.Undefined:
                return new ValueTask<object?>((object?)null);
            case JsonToken.String:
            case JsonToken.Integer:
            case JsonToken.Float:
                return new ValueTask<object?>(reader.Value);
            case JsonToken.Boolean:
                return new ValueTask<object?>((bool)reader.Value! ? True : False);
            case JsonToken.StartArray:
            case JsonToken.StartObject:
                return writer.CopyAsync(reader, ct);
            default:
                throw new JsonReaderException($"a {reader.TokenType} is not a JSON value");
        }
    }

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

    /// <summary>
    /// Copies arrays and objects from a reader as compact UTF-8 JSON, without the comments a response may hold (the
    /// reader passes them on as tokens). One per reader, reused for every value: its text buffer and its writer are
    /// allocated once.
    /// </summary>
    internal sealed class CompactWriter
    {
        private readonly StringBuilder _text = new();
        private readonly CommentlessWriter _writer;

        public CompactWriter() => _writer = new CommentlessWriter(new StringWriter(_text, CultureInfo.InvariantCulture));

        /// <summary>The value the reader is on (a StartArray or StartObject), whole, as UTF-8 bytes.</summary>
        public async ValueTask<object?> CopyAsync(JsonReader reader, CancellationToken ct)
        {
            _text.Clear();
            await _writer.WriteTokenAsync(reader, writeChildren: true, ct).ConfigureAwait(false);
            await _writer.FlushAsync(ct).ConfigureAwait(false);
            return Utf8(_text);
        }

        private static byte[] Utf8(StringBuilder text)
        {
            var chars = System.Buffers.ArrayPool<char>.Shared.Rent(text.Length);
            try
            {
                text.CopyTo(0, chars, 0, text.Length);
                return Encoding.UTF8.GetBytes(chars, 0, text.Length);
            }
            finally
            {
                System.Buffers.ArrayPool<char>.Shared.Return(chars);
            }
        }
    }

    /// <summary>Compact JSON without comments.</summary>
    private sealed class CommentlessWriter : JsonTextWriter
    {
        public CommentlessWriter(TextWriter text) : base(text) => Formatting = Formatting.None;

        public override void WriteComment(string? text)
        {
        }

        public override Task WriteCommentAsync(string? text, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
