using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Newtonsoft.Json.Linq;
using NewtonsoftReader = Newtonsoft.Json.JsonTextReader;

namespace Akka.Couchbase.Streams.Views;

/// <summary>
/// The synchronous half of <see cref="ViewRowReader"/>: parses a view response from the bytes received so far, one
/// unit at a time (a row, or one member of the response object with its value), with <see cref="Utf8JsonReader"/>
/// and its state carried from call to call. A unit is taken only when it is whole in the bytes given; otherwise
/// nothing of it is consumed and the caller reads more from the network and calls again.
/// </summary>
internal sealed class ViewResponseParser
{
    /// <summary>What a call to <see cref="Next"/> found.</summary>
    public enum Step
    {
        /// <summary>A row (the out parameter).</summary>
        Row,

        /// <summary>The response object's end: every row and the metadata were read.</summary>
        End,

        /// <summary>The bytes end inside a unit: read more, then call again with the unconsumed bytes and more.</summary>
        NeedMore,
    }

    private enum Phase
    {
        BeforeRoot,
        InRoot,
        InRows,
        Ended,
    }

    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip };

    private readonly List<ViewError> _errors = new();
    private readonly ArrayBufferWriter<byte> _copy = new(256);
    private JsonReaderState _state = new(Options);
    private Phase _phase;
    private string? _member;

    public long? TotalRows { get; private set; }

    public long Rows { get; private set; }

    public IReadOnlyList<ViewError> Errors => _errors;

    public JToken? DebugInfo { get; private set; }

    /// <summary>Where the parser is, for error messages: the response member being read, or the row.</summary>
    public string Where => _phase == Phase.InRows ? $"in row {Rows + 1}" : _member is null ? "" : $"in '{_member}'";

    /// <summary>
    /// Parses the next unit from <paramref name="bytes"/> (the bytes not consumed by earlier calls, and more).
    /// <paramref name="consumed"/> is how many of them it took; after <see cref="Step.End"/> the rest is trailer.
    /// </summary>
    /// <exception cref="JsonException">The bytes are not JSON.</exception>
    /// <exception cref="InvalidOperationException">A string is not valid UTF-8.</exception>
    /// <exception cref="ViewResponseFormatException">The JSON is not a view response.</exception>
    public Step Next(ReadOnlySpan<byte> bytes, out ViewRow? row, out int consumed)
    {
        row = null;
        consumed = 0;
        var reader = new Utf8JsonReader(bytes, isFinalBlock: false, _state);
        while (true)
        {
            var step = _phase switch
            {
                Phase.BeforeRoot => Root(ref reader),
                Phase.InRoot => Member(ref reader, bytes),
                Phase.InRows => RowOrEnd(ref reader, out row),
                _ => Step.End,
            };
            if (step == Step.NeedMore) return Step.NeedMore;
            // The unit is whole: it is consumed.
            consumed = (int)reader.BytesConsumed;
            _state = reader.CurrentState;
            if (step == Step.Row)
            {
                Rows++;
                return Step.Row;
            }
            if (_phase == Phase.Ended) return Step.End;
        }
    }

    /// <summary>Returned by the unit readers to go on with the next unit.</summary>
    private const Step Continue = (Step)(-1);

    private Step Root(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) return Step.NeedMore;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new ViewResponseFormatException($"unexpected {Describe(reader.TokenType)} at depth 0");
        _phase = Phase.InRoot;
        return Continue;
    }

    private Step Member(ref Utf8JsonReader reader, ReadOnlySpan<byte> input)
    {
        if (!reader.Read()) return Step.NeedMore;
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            _phase = Phase.Ended;
            _member = null;
            return Continue;
        }
        var name = reader.GetString()!; // a property name: the only other token an object holds
        _member = name;
        if (!reader.Read()) return Step.NeedMore;
        switch (name)
        {
            case "total_rows" when reader.TokenType == JsonTokenType.Number:
                TotalRows = RowCount(ref reader);
                break;
            case "rows" when reader.TokenType == JsonTokenType.StartArray:
                _phase = Phase.InRows;
                break;
            case "errors" when reader.TokenType == JsonTokenType.StartArray:
            {
                if (!Whole(ref reader, input, out var json)) return Step.NeedMore;
                _errors.AddRange(ErrorEntries(json));
                break;
            }
            case "debug_info":
            {
                if (!Whole(ref reader, input, out var json)) return Step.NeedMore;
                DebugInfo = Load(json);
                break;
            }
            default:
                if (!reader.TrySkip()) return Step.NeedMore;
                break;
        }
        return Continue;
    }

    private Step RowOrEnd(ref Utf8JsonReader reader, out ViewRow? row)
    {
        row = null;
        if (!reader.Read()) return Step.NeedMore;
        switch (reader.TokenType)
        {
            case JsonTokenType.EndArray:
                _phase = Phase.InRoot;
                return Continue;
            case JsonTokenType.StartObject:
                if (!ReadRow(ref reader, out row)) return Step.NeedMore;
                return Step.Row;
            default:
                throw new ViewResponseFormatException($"unexpected {Describe(reader.TokenType)} among the rows");
        }
    }

    /// <summary>One row's members (the reader is on its StartObject) into the compact row; false when it is not whole yet.</summary>
    private bool ReadRow(ref Utf8JsonReader reader, out ViewRow? row)
    {
        row = null;
        string? id = null;
        object? key = null, value = null;
        while (true)
        {
            if (!reader.Read()) return false;
            if (reader.TokenType == JsonTokenType.EndObject) break;
            var member = reader.ValueTextEquals("id"u8) ? 0 : reader.ValueTextEquals("key"u8) ? 1 : reader.ValueTextEquals("value"u8) ? 2 : 3;
            if (!reader.Read()) return false;
            switch (member)
            {
                case 0:
                    id = reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString(),
                        JsonTokenType.Null => null,
                        var other => throw new ViewResponseFormatException($"a row's id is a {Describe(other)}, not a string"),
                    };
                    break;
                case 1:
                    if (!ReadValue(ref reader, out key)) return false;
                    break;
                case 2:
                    if (!ReadValue(ref reader, out value)) return false;
                    break;
                default:
                    if (!reader.TrySkip()) return false;
                    break;
            }
        }
        // emit(meta.id, ...) is common: the key then shares the id's string.
        if (key is string k && id is not null && string.Equals(k, id, StringComparison.Ordinal)) key = id;
        row = ViewRow.FromCompact(id, key, value);
        return true;
    }

    /// <summary>The value the reader is on, in <see cref="ViewJson"/>'s compact form; false when it is not whole yet.</summary>
    private bool ReadValue(ref Utf8JsonReader reader, out object? value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                value = reader.GetString();
                return true;
            case JsonTokenType.Number:
                value = Number(ref reader);
                return true;
            case JsonTokenType.True:
                value = ViewJson.True;
                return true;
            case JsonTokenType.False:
                value = ViewJson.False;
                return true;
            case JsonTokenType.Null:
                value = null;
                return true;
            default: // StartArray or StartObject: a property name or an end cannot be here
                return CopyCompact(ref reader, out value);
        }
    }

    /// <summary>
    /// Copies the array or object the reader is on as compact JSON: each token's bytes as they came (strings keep
    /// their escapes, numbers their digits), without whitespace or comments.
    /// </summary>
    private bool CopyCompact(ref Utf8JsonReader reader, out object? value)
    {
        value = null;
        _copy.ResetWrittenCount();
        var depth = reader.CurrentDepth;
        var comma = false;
        while (true)
        {
            var token = reader.TokenType;
            if (comma && token is not (JsonTokenType.EndArray or JsonTokenType.EndObject)) Put((byte)',');
            switch (token)
            {
                case JsonTokenType.StartArray: Put((byte)'['); comma = false; break;
                case JsonTokenType.StartObject: Put((byte)'{'); comma = false; break;
                case JsonTokenType.EndArray: Put((byte)']'); comma = true; break;
                case JsonTokenType.EndObject: Put((byte)'}'); comma = true; break;
                case JsonTokenType.PropertyName:
                    Put((byte)'"'); Put(reader.ValueSpan); Put((byte)'"'); Put((byte)':');
                    comma = false;
                    break;
                case JsonTokenType.String:
                    Put((byte)'"'); Put(reader.ValueSpan); Put((byte)'"');
                    comma = true;
                    break;
                default: // numbers and literals, as they came
                    Put(reader.ValueSpan);
                    comma = true;
                    break;
            }
            if (token is JsonTokenType.EndArray or JsonTokenType.EndObject && reader.CurrentDepth == depth) break;
            if (!reader.Read()) return false;
        }
        value = _copy.WrittenSpan.ToArray();
        return true;
    }

    private void Put(byte b)
    {
        _copy.GetSpan(1)[0] = b;
        _copy.Advance(1);
    }

    private void Put(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_copy.GetSpan(bytes.Length));
        _copy.Advance(bytes.Length);
    }

    /// <summary>An integer as a long (a BigInteger beyond 64 bits), anything else as a finite double.</summary>
    private static object Number(ref Utf8JsonReader reader)
    {
        if (reader.TryGetInt64(out var n)) return n;
        var text = reader.ValueSpan;
        if (text.IndexOfAny("."u8) < 0 && text.IndexOfAny("eE"u8) < 0)
            return BigInteger.Parse(Encoding.ASCII.GetString(text), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (reader.TryGetDouble(out var d) && double.IsFinite(d)) return d;
        throw new ViewResponseFormatException($"the number {Encoding.ASCII.GetString(text)} is out of range");
    }

    private static long RowCount(ref Utf8JsonReader reader)
    {
        if (reader.TryGetInt64(out var n)) return n;
        if (reader.TryGetDouble(out var d) && d is >= long.MinValue and < long.MaxValue) return Convert.ToInt64(d);
        throw new ViewResponseFormatException($"total_rows is {Encoding.ASCII.GetString(reader.ValueSpan)}, not a row count");
    }

    /// <summary>The whole value the reader is on, as its bytes in <paramref name="input"/>; false when it is not whole yet.</summary>
    private static bool Whole(ref Utf8JsonReader reader, ReadOnlySpan<byte> input, out byte[] json)
    {
        json = Array.Empty<byte>();
        var start = (int)reader.TokenStartIndex;
        if (!reader.TrySkip()) return false;
        json = input[start..(int)reader.BytesConsumed].ToArray();
        return true;
    }

    private static IEnumerable<ViewError> ErrorEntries(byte[] json)
    {
        var errors = new List<ViewError>();
        foreach (var e in (JArray)Load(json))
        {
            if (e is not JObject error || error["from"] is { Type: not (JTokenType.String or JTokenType.Null) })
                throw new ViewResponseFormatException($"an entry of errors is a {e.Type}, not an object with a string 'from'");
            errors.Add(new ViewError((string?)error["from"], error["reason"]?.ToString()));
        }
        return errors;
    }

    private static JToken Load(byte[] json)
    {
        using var text = new NewtonsoftReader(new StreamReader(new MemoryStream(json, writable: false), Encoding.UTF8))
        {
            DateParseHandling = Newtonsoft.Json.DateParseHandling.None,
            FloatParseHandling = Newtonsoft.Json.FloatParseHandling.Double,
        };
        return JToken.ReadFrom(text, ViewJson.NoLineInfo);
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.StartObject => "object",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.String => "string",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
