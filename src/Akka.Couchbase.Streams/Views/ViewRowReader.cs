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

    /// <summary>The next row, or null when the response is complete. Throws <see cref="ViewQueryException"/> on a broken response.</summary>
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
                            var row = ViewRow.From(await JObject.LoadAsync(_reader, ct).ConfigureAwait(false));
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
                TotalRows = Convert.ToInt64(_reader.Value);
                break;
            case "rows" when _reader.TokenType == JsonToken.StartArray:
                _inRows = true;
                break;
            case "errors" when _reader.TokenType == JsonToken.StartArray:
                foreach (var e in await JArray.LoadAsync(_reader, ct).ConfigureAwait(false))
                    _errors.Add(new ViewError(e.Value<string?>("from"), e["reason"]?.ToString()));
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
