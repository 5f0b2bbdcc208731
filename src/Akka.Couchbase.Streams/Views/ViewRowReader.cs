using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.Streams.Views;

/// <summary>
/// Reads the rows of a view response one at a time, straight from the HTTP stream: nothing is read ahead of what
/// the consumer asked for beyond the parser's small buffer, so a slow consumer slows the server (TCP backpressure).
/// Each read from the network waits at most the idle timeout; a response abandoned before its end closes its
/// connection. Tolerates members it does not know (CouchDB's <c>offset</c>, <c>update_seq</c>, a row's <c>doc</c>).
/// </summary>
internal sealed class ViewRowReader : IDisposable
{
    /// <summary>What may follow the JSON's end before the body ends (the chunked encoding's last chunk, whitespace).</summary>
    private const int TrailerLimit = 4096;

    private readonly HttpResponseMessage _response;
    private readonly ViewBodyStream _body;
    private readonly JsonTextReader _reader;
    private readonly string _what;
    private readonly Uri _uri;
    private readonly List<ViewError> _errors = new();
    private readonly ViewJson.CompactWriter _compact = new();
    private bool _inRows;
    private bool _ended;
    private long _rows;
    private JToken? _debugInfo;

    /// <summary>The member names of a view response, read without a new string each time.</summary>
    private static readonly DefaultJsonNameTable Names = MemberNames();

    private ViewRowReader(HttpResponseMessage response, ViewBodyStream body, Uri uri, string what)
    {
        _response = response;
        _uri = uri;
        _body = body;
        _what = what;
        _reader = new JsonTextReader(new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024))
        {
            DateParseHandling = DateParseHandling.None,
            FloatParseHandling = FloatParseHandling.Double,
            CloseInput = true,
            PropertyNameTable = Names,
        };
    }

    public long? TotalRows { get; private set; }

    /// <summary>Rows read so far.</summary>
    public long RowsRead => _rows;

    public ViewMetadata Metadata => new(TotalRows, _rows, _errors.ToList(), _debugInfo);

    /// <summary>
    /// Reads <paramref name="response"/>'s body, each network read waiting at most <paramref name="idleTimeout"/>;
    /// cancelling <paramref name="stop"/> abandons the response (its connection is closed).
    /// </summary>
    public static async Task<ViewRowReader> OpenAsync(HttpResponseMessage response, ViewQuery query, Uri uri,
        TimeSpan idleTimeout, CancellationToken stop, CancellationToken headersDeadline)
    {
        var stream = await response.Content.ReadAsStreamAsync(headersDeadline).ConfigureAwait(false);
        return new ViewRowReader(response, new ViewBodyStream(stream, idleTimeout, stop), uri,
            $"view {query.DesignDocumentPath}/{query.View} on {uri.GetLeftPart(UriPartial.Path)}");
    }

    /// <summary>
    /// The next row, or null when the response is complete. Completes synchronously, without allocating beyond the
    /// row, when the row is already in the parser's buffer; await each result once, before the next call.
    /// </summary>
    /// <remarks>
    /// The bytes come from the network: whatever they hold, a response that is not a view result fails with a
    /// <see cref="ViewQueryException"/> and nothing else (bar <see cref="OperationCanceledException"/> when
    /// <paramref name="ct"/> or the reader's stop token is cancelled); that includes a server that sends nothing
    /// for the idle timeout. A row is read whole into memory; nothing else is held beyond the parser's buffer, the
    /// <c>errors</c> and the <c>debug_info</c>.
    /// </remarks>
    /// <exception cref="ViewQueryException">The response is broken: not JSON, not a view result, stalled, or the connection failed.</exception>
    public async ValueTask<ViewRow?> NextAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                if (_ended) return null;
                if (!await _reader.ReadAsync(ct).ConfigureAwait(false))
                    throw Broken("the response ended before it was complete");
                if (_inRows)
                {
                    switch (_reader.TokenType)
                    {
                        case JsonToken.StartObject:
                            var row = await ReadRowAsync(ct).ConfigureAwait(false);
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
                        await ReadTrailerAsync().ConfigureAwait(false);
                        return null;
                    case JsonToken.PropertyName when _reader.Depth == 1:
                        await ReadMemberAsync((string)_reader.Value!, ct).ConfigureAwait(false);
                        continue;
                    default:
                        throw Broken($"unexpected {_reader.TokenType} at depth {_reader.Depth}");
                }
            }
        }
        catch (OperationCanceledException e) when (_body.IdleTimedOut)
        {
            throw Broken($"no data for {_body.IdleTimeout.TotalMilliseconds}ms (akka.couchbase.views.idle-timeout)", e);
        }
        catch (JsonException e) // the reader's, or the writer's copying an array or object the response cuts short
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

    /// <summary>Reads one row's members (the reader is on its StartObject) straight into the compact row.</summary>
    private async ValueTask<ViewRow> ReadRowAsync(CancellationToken ct)
    {
        string? id = null;
        object? key = null, value = null;
        while (await ReadSkippingCommentsAsync(ct).ConfigureAwait(false))
        {
            if (_reader.TokenType == JsonToken.EndObject)
            {
                // emit(meta.id, ...) is common: the key then shares the id's string.
                if (key is string k && id is not null && string.Equals(k, id, StringComparison.Ordinal)) key = id;
                return ViewRow.FromCompact(id, key, value);
            }
            if (_reader.TokenType != JsonToken.PropertyName) throw Broken($"unexpected {_reader.TokenType} in a row");
            var name = (string)_reader.Value!;
            if (!await ReadSkippingCommentsAsync(ct).ConfigureAwait(false)) break;
            switch (name)
            {
                case "id":
                    id = _reader.TokenType switch
                    {
                        JsonToken.String => (string)_reader.Value!,
                        JsonToken.Null => null,
                        var other => throw Broken($"a row's id is a {Describe(other)}, not a string"),
                    };
                    break;
                case "key":
                    key = await ViewJson.ReadAsync(_reader, _compact, ct).ConfigureAwait(false);
                    break;
                case "value":
                    value = await ViewJson.ReadAsync(_reader, _compact, ct).ConfigureAwait(false);
                    break;
                default:
                    await _reader.SkipAsync(ct).ConfigureAwait(false);
                    break;
            }
        }
        throw Broken("the response ended inside a row");
    }

    /// <summary>The next token that is not a comment (a row loaded whole would have ignored them too).</summary>
    private async ValueTask<bool> ReadSkippingCommentsAsync(CancellationToken ct)
    {
        while (await _reader.ReadAsync(ct).ConfigureAwait(false))
        {
            if (_reader.TokenType != JsonToken.Comment) return true;
        }
        return false;
    }

    private static string Describe(JsonToken token) => token switch
    {
        JsonToken.StartArray => "array",
        JsonToken.StartObject => "object",
        JsonToken.Integer => "integer",
        JsonToken.Float => "float",
        JsonToken.Boolean => "boolean",
        _ => token.ToString(),
    };

    /// <summary>
    /// Reads the body past the JSON's end, so the connection is reused. What goes wrong there is no longer the
    /// query's concern (every row and the metadata were read): the connection is then closed by disposal.
    /// </summary>
    private async Task ReadTrailerAsync()
    {
        try
        {
            await _body.ReadToEndAsync(TrailerLimit).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
        {
            // The response is complete; only the connection's reuse is lost.
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
                foreach (var e in await JArray.LoadAsync(_reader, ViewJson.NoLineInfo, ct).ConfigureAwait(false))
                {
                    if (e is not JObject error || error["from"] is { Type: not (JTokenType.String or JTokenType.Null) })
                        throw Broken($"an entry of errors is a {e.Type}, not an object with a string 'from'");
                    _errors.Add(new ViewError((string?)error["from"], error["reason"]?.ToString()));
                }
                break;
            case "debug_info":
                _debugInfo = await JToken.ReadFromAsync(_reader, ViewJson.NoLineInfo, ct).ConfigureAwait(false);
                break;
            default:
                await _reader.SkipAsync(ct).ConfigureAwait(false);
                break;
        }
    }

    private static DefaultJsonNameTable MemberNames()
    {
        var names = new DefaultJsonNameTable();
        foreach (var name in new[] { "id", "key", "value", "doc", "total_rows", "rows", "errors", "from", "reason", "debug_info", "meta", "json" })
            names.Add(name);
        return names;
    }

    private ViewQueryException Broken(string what, Exception? inner = null) =>
        new($"{_what}: {what} after {_rows} rows", (int)_response.StatusCode, uri: _uri, inner: inner);

    /// <summary>Releases the response; one abandoned before its end closes its connection (nothing is drained).</summary>
    public void Dispose()
    {
        ((IDisposable)_reader).Dispose();
        _body.Dispose();
        _response.Dispose();
    }
}
