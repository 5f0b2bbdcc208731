using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.Streams.Views;

/// <summary>
/// Reads the rows of a view response one at a time, straight from the HTTP stream: nothing is read ahead of what
/// the consumer asked for beyond the parser's small buffer, so a slow consumer slows the server (TCP backpressure).
/// Tolerates members it does not know (CouchDB's <c>offset</c>, <c>update_seq</c>).
/// </summary>
internal sealed class ViewRowReader : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly Stream _stream;
    private readonly JsonTextReader _reader;
    private readonly string _what;
    private readonly List<ViewError> _errors = new();
    private bool _inRows;
    private bool _ended;
    private long _rows;
    private JToken? _debugInfo;

    private ViewRowReader(HttpResponseMessage response, Stream stream, string what)
    {
        _response = response;
        _stream = stream;
        _what = what;
        _reader = new JsonTextReader(new StreamReader(stream)) { DateParseHandling = DateParseHandling.None, CloseInput = true };
    }

    public long? TotalRows { get; private set; }

    public ViewMetadata Metadata => new(TotalRows, _rows, _errors.ToList(), _debugInfo);

    public static async Task<ViewRowReader> OpenAsync(HttpResponseMessage response, ViewQuery query, Uri uri, CancellationToken ct)
    {
        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        return new ViewRowReader(response, stream, $"view {query.DesignDocumentPath}/{query.View} on {uri.GetLeftPart(UriPartial.Path)}");
    }

    /// <summary>The next row, or null when the response is complete.</summary>
    /// <remarks>
    /// The bytes come from the network: whatever they hold, a response that is not a view result fails with a
    /// <see cref="ViewQueryException"/> and nothing else (bar <see cref="OperationCanceledException"/> when
    /// <paramref name="ct"/> is cancelled). A row is read whole into memory; nothing else is held beyond the
    /// parser's buffer, the <c>errors</c> and the <c>debug_info</c>.
    /// </remarks>
    /// <exception cref="ViewQueryException">The response is broken: not JSON, not a view result, or the connection failed.</exception>
    public async Task<ViewRow?> NextAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                if (!await _reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    if (_ended) return null;
                    throw Broken("the response ended before it was complete");
                }
                if (_inRows)
                {
                    switch (_reader.TokenType)
                    {
                        case JsonToken.StartObject:
                            var fields = await JObject.LoadAsync(_reader, ct).ConfigureAwait(false);
                            if (fields["id"] is { Type: not (JTokenType.String or JTokenType.Null) } id)
                                throw Broken($"a row's id is a {id.Type}, not a string");
                            var row = ViewRow.From(fields);
                            _rows++;
                            return row;
                        case JsonToken.EndArray:
                            _inRows = false;
                            continue;
                        default:
                            throw Broken($"unexpected {_reader.TokenType} among the rows");
                    }
                }
                switch (_reader.TokenType)
                {
                    case JsonToken.StartObject when _reader.Depth == 0:
                        continue;
                    case JsonToken.EndObject when _reader.Depth == 0:
                        _ended = true;
                        return null;
                    case JsonToken.PropertyName when _reader.Depth == 1:
                        await ReadMemberAsync((string)_reader.Value!, ct).ConfigureAwait(false);
                        continue;
                    default:
                        throw Broken($"unexpected {_reader.TokenType} at depth {_reader.Depth}");
                }
            }
        }
        catch (JsonReaderException e)
        {
            throw Broken($"the response is not valid JSON ({e.Message})", e);
        }
        catch (IOException e)
        {
            throw Broken($"the connection broke ({e.Message})", e);
        }
        catch (HttpRequestException e)
        {
            throw Broken($"the connection broke ({e.Message})", e);
        }
    }

    private async Task ReadMemberAsync(string name, CancellationToken ct)
    {
        if (!await _reader.ReadAsync(ct).ConfigureAwait(false)) throw Broken($"no value for '{name}'");
        switch (name)
        {
            case "total_rows" when _reader.TokenType is JsonToken.Integer or JsonToken.Float:
                // Beyond 64 bits an integer is a BigInteger; a float may be NaN or out of range.
                TotalRows = _reader.Value switch
                {
                    long n => n,
                    double d when d is >= long.MinValue and < long.MaxValue => Convert.ToInt64(d),
                    var other => throw Broken($"total_rows is {Convert.ToString(other, CultureInfo.InvariantCulture)}, not a row count"),
                };
                break;
            case "rows" when _reader.TokenType == JsonToken.StartArray:
                _inRows = true;
                break;
            case "errors" when _reader.TokenType == JsonToken.StartArray:
                foreach (var e in await JArray.LoadAsync(_reader, ct).ConfigureAwait(false))
                {
                    if (e is not JObject error || error["from"] is { Type: not (JTokenType.String or JTokenType.Null) })
                        throw Broken($"an entry of errors is a {e.Type}, not an object with a string 'from'");
                    _errors.Add(new ViewError((string?)error["from"], error["reason"]?.ToString()));
                }
                break;
            case "debug_info":
                _debugInfo = await JToken.ReadFromAsync(_reader, ct).ConfigureAwait(false);
                break;
            default:
                await _reader.SkipAsync(ct).ConfigureAwait(false);
                break;
        }
    }

    private ViewQueryException Broken(string what, Exception? inner = null) =>
        new($"{_what}: {what} after {_rows} rows", (int)_response.StatusCode, inner: inner);

    public void Dispose()
    {
        ((IDisposable)_reader).Dispose();
        _stream.Dispose();
        _response.Dispose();
    }
}
