using System.Buffers;
using System.Text;
using Akka.Couchbase.TestKit.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.TestKit.Views;

/// <summary>
/// Streams a view response as chunks of a few KB: rows are serialised only as fast as the socket accepts
/// the previous chunk, so a client that stops reading stalls the producer (a chunk that the socket does not take at
/// once is reported to <see cref="BlockedWrites"/>). Applies <see cref="ViewFaults"/>.
/// </summary>
internal sealed class ViewResponseWriter
{
    /// <summary>A chunk is sent once this many characters of rows are buffered.</summary>
    internal const int ChunkChars = 4096;

    private static readonly KeyValuePair<string, string>[] Headers =
    {
        new("Cache-Control", "must-revalidate"),
    };

    private readonly HttpResponse _response;
    private readonly ViewFaults _faults;
    private readonly Action _onRow;
    private readonly BlockedWrites _blockedWrites;
    private readonly CancellationToken _ct;
    private readonly StringBuilder _buffer = new(ChunkChars + 1024);
    private int _rows;
    private bool _bufferHasRows;
    private bool _stalled;

    public ViewResponseWriter(HttpResponse response, ViewFaults faults, Action onRow, BlockedWrites blockedWrites,
        CancellationToken ct)
    {
        _response = response;
        _faults = faults;
        _onRow = onRow;
        _blockedWrites = blockedWrites;
        _ct = ct;
    }

    /// <summary>Rows serialised into this response so far.</summary>
    public int Rows => _rows;

    /// <summary>True once the response was written to its end.</summary>
    public bool Completed { get; private set; }

    /// <summary>Writes <c>{"total_rows":N,"rows":[ ... ]}</c> with one <c>{"id","key","value"}</c> per row.</summary>
    public Task WriteMapAsync(int totalRows, JObject? debugInfo, IEnumerable<ViewRow> rows)
    {
        var head = "{\"total_rows\":" + totalRows.ToString(System.Globalization.CultureInfo.InvariantCulture) + DebugMember(debugInfo) + ",\"rows\":[\n";
        return WriteAsync(head, rows, static (sb, row) =>
        {
            sb.Append("{\"id\":").Append(JsonConvert.ToString(row.Id))
                .Append(",\"key\":").Append(row.Key.ToString(Formatting.None))
                .Append(",\"value\":").Append(row.Value.ToString(Formatting.None))
                .Append('}');
        });
    }

    /// <summary>Writes <c>{"rows":[ ... ]}</c> with one <c>{"key","value"}</c> per reduced row.</summary>
    public Task WriteReduceAsync(JObject? debugInfo, IEnumerable<(JToken Key, JToken Value)> rows)
    {
        var debug = DebugMember(debugInfo);
        var head = "{" + (debug.Length > 0 ? debug[1..] + "," : "") + "\"rows\":[\n";
        return WriteAsync(head, rows, static (sb, row) =>
        {
            sb.Append("{\"key\":").Append(row.Key.ToString(Formatting.None))
                .Append(",\"value\":").Append(row.Value.ToString(Formatting.None))
                .Append('}');
        });
    }

    private static string DebugMember(JObject? debugInfo) =>
        debugInfo == null ? "" : ",\"debug_info\":" + debugInfo.ToString(Formatting.None);

    private async Task WriteAsync<T>(string head, IEnumerable<T> rows, Action<StringBuilder, T> format)
    {
        await _response.WriteHeadAsync(200, "application/json", chunked: true, Headers).ConfigureAwait(false);
        _buffer.Append(head);
        var failAfter = _faults.FailAfterRows;
        if (failAfter == 0)
        {
            await SendAsync().ConfigureAwait(false);
            _response.Abort();
            return;
        }
        await StallIfAskedAsync().ConfigureAwait(false);
        foreach (var row in rows)
        {
            _ct.ThrowIfCancellationRequested();
            if (_rows > 0) _buffer.Append(",\n");
            format(_buffer, row);
            _rows++;
            _bufferHasRows = true;
            _onRow();
            if (failAfter is { } n && _rows >= n)
            {
                await SendAsync().ConfigureAwait(false);
                _response.Abort();
                return;
            }
            if (_buffer.Length >= ChunkChars) await SendAsync().ConfigureAwait(false);
            await StallIfAskedAsync().ConfigureAwait(false);
        }
        _buffer.Append(_rows > 0 ? "\n]\n}\n" : "]\n}\n");
        await SendAsync().ConfigureAwait(false);
        await _response.EndAsync().ConfigureAwait(false);
        Completed = true;
    }

    /// <summary>Once per response: with <see cref="ViewFaults.StallAfterRows"/> reached, sends what is buffered and waits for the stall to be cleared.</summary>
    private async Task StallIfAskedAsync()
    {
        if (_stalled) return;
        var released = _faults.StallReleased;
        if (_faults.StallAfterRows is not { } n || _rows < n) return;
        _stalled = true;
        await SendAsync().ConfigureAwait(false);
        await released.WaitAsync(_ct).ConfigureAwait(false);
    }

    private async Task SendAsync()
    {
        if (_buffer.Length == 0) return;
        if (_bufferHasRows)
        {
            var delay = _faults.RowDelay;
            if (delay > TimeSpan.Zero) await Task.Delay(delay, _ct).ConfigureAwait(false);
        }
        var text = _buffer.ToString();
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, bytes);
            _buffer.Clear();
            _bufferHasRows = false;
            await _blockedWrites.Observe(_response.WriteAsync(bytes.AsMemory(0, length)), _rows).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
