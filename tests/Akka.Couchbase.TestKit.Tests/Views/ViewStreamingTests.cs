using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Couchbase.TestKit.Http;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.TestKit.Tests.Views;

public sealed class ViewStreamingTests
{
    private readonly ITestOutputHelper _output;

    public ViewStreamingTests(ITestOutputHelper output)
    {
        _output = output;
    }

    private const int Docs = 500;
    private const int RowsPerDoc = 100;
    private const int TotalRows = Docs * RowsPerDoc;

    private static async Task<ViewServer> StartAsync(HttpServerOptions? options = null)
    {
        var source = new InMemoryViewSource();
        for (var i = 0; i < Docs; i++) source.Put("big", "doc" + i.ToString("D5", CultureInfo.InvariantCulture), "{\"n\":" + i + "}");
        var server = new ViewServer(source, options);
        server.DesignDocs.Put("big", "s", """
            {"views":{"rows":{"map":"function (doc, meta) { for (var i = 0; i < 100; i++) emit([meta.id, i], null); }"},
                      "small":{"map":"function (doc, meta) { if (doc.n < 3) emit(doc.n, null); }"}}}
            """);
        // build the index up front so the tests below only measure streaming
        var (status, _) = await server.GetJsonAsync("/big/_design/s/_view/rows?limit=1");
        Assert.Equal(HttpStatusCode.OK, status);
        return server;
    }

    [Fact]
    public async Task A_client_that_stops_reading_keeps_the_produced_row_count_bounded()
    {
        await using var server = await StartAsync(new HttpServerOptions { SendBufferSize = 4096 });
        var before = server.Service.RowsProduced;
        var blocked = server.Service.BlockedWrites.NextAsync();

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(IPAddress.Loopback, server.Server.Port);
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes(ViewServer.User + ":" + ViewServer.Password));
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            $"GET /big/_design/s/_view/rows HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {auth}\r\n\r\n"), SocketFlags.None);

        // read nothing: once the socket buffers are full the writer waits on a chunk, and produces no row past it
        var stall = await blocked.WaitAsync(TimeSpan.FromSeconds(30));
        var produced = server.Service.RowsProduced - before;
        _output.WriteLine($"rows produced when the writer blocked on a client that reads nothing: {produced} of {TotalRows}");
        Assert.True(stall.IsBlocked, "the blocked chunk went out although the client read nothing");
        Assert.Equal(stall.Progress, produced);
        Assert.True(produced > 0, "some rows should have been produced");
        Assert.True(produced < TotalRows / 5, $"{produced} of {TotalRows} rows were produced for a client that read nothing");

        // reading resumes production and delivers every row
        var body = await ReadChunkedBodyAsync(socket);
        Assert.True(stall.Resumed.IsCompleted);
        var json = ViewServer.Parse(body);
        Assert.Equal(TotalRows, ((JArray)json["rows"]!).Count);
        Assert.Equal(TotalRows, (int)json["total_rows"]!);
        Assert.Equal(TotalRows, server.Service.RowsProduced - before);
    }

    [Fact]
    public async Task FailAfterRows_cuts_the_connection_mid_stream()
    {
        await using var server = await StartAsync();
        var before = server.Service.RowsProduced;
        server.Faults.FailAfterRows = 1000;
        await Assert.ThrowsAnyAsync<Exception>(() => server.Client.GetStringAsync("/big/_design/s/_view/rows"));
        Assert.Equal(1000, server.Service.RowsProduced - before);

        // a short result is not cut
        using var fresh = server.NewClient();
        var small = ViewServer.Parse(await fresh.GetStringAsync("/big/_design/s/_view/small"));
        Assert.Equal(3, ((JArray)small["rows"]!).Count);

        server.Faults.FailAfterRows = 0;
        await Assert.ThrowsAnyAsync<Exception>(() => fresh.GetStringAsync("/big/_design/s/_view/small"));

        server.Faults.Reset();
        using var healed = server.NewClient();
        var all = ViewServer.Parse(await healed.GetStringAsync("/big/_design/s/_view/rows"));
        Assert.Equal(TotalRows, ((JArray)all["rows"]!).Count);
    }

    [Fact]
    public async Task FailNextQueries_answers_that_many_queries_with_the_error()
    {
        await using var server = await StartAsync();
        server.Faults.FailNextQueries(2);
        Assert.Equal(2, server.Faults.PendingErrors);
        for (var i = 0; i < 2; i++)
        {
            using var reply = await server.Client.GetAsync("/big/_design/s/_view/small");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, reply.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), reply.Headers.RetryAfter!.Delta);
            Assert.Equal("service_unavailable", (string?)ViewServer.Parse(await reply.Content.ReadAsStringAsync())["error"]);
        }
        Assert.Equal(0, server.Faults.PendingErrors);
        using (var ok = await server.Client.GetAsync("/big/_design/s/_view/small"))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        server.Faults.FailNextQueries(1, 500, "error", "{not_found, missing_named_view}");
        var (status, body) = await server.GetJsonAsync("/big/_design/s/_view/small");
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("{not_found, missing_named_view}", (string?)body["reason"]);

        // design document requests are not affected
        server.Faults.FailNextQueries(1);
        using (var ddoc = await server.Client.GetAsync("/big/_design/s"))
            Assert.Equal(HttpStatusCode.OK, ddoc.StatusCode);
        server.Faults.Reset();
        Assert.Equal(0, server.Faults.PendingErrors);
    }

    [Fact]
    public async Task RowDelay_slows_the_stream_chunk_by_chunk()
    {
        await using var server = await StartAsync();
        server.Faults.RowDelay = TimeSpan.FromMilliseconds(100);
        var watch = Stopwatch.StartNew();
        var small = ViewServer.Parse(await server.Client.GetStringAsync("/big/_design/s/_view/small"));
        Assert.Equal(3, ((JArray)small["rows"]!).Count);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(90), $"one chunk took {watch.Elapsed}");

        // about 5 chunks of ~4 KB: at least 4 delays
        watch.Restart();
        var some = ViewServer.Parse(await server.Client.GetStringAsync("/big/_design/s/_view/rows?limit=400"));
        Assert.Equal(400, ((JArray)some["rows"]!).Count);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(400), $"five chunks took {watch.Elapsed}");
    }

    [Fact]
    public async Task Rows_arrive_in_many_chunks_before_the_response_ends()
    {
        await using var server = await StartAsync();
        using var reply = await server.Client.GetAsync("/big/_design/s/_view/rows", HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await reply.Content.ReadAsStreamAsync();
        var buffer = new byte[65536];
        var reads = 0;
        long total = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            reads++;
            total += n;
        }
        Assert.True(reads > 10, $"{reads} reads");
        Assert.True(total > TotalRows * 30);
    }

    /// <summary>Reads one chunked response (head and body) from a raw socket and returns the decoded body.</summary>
    private static async Task<string> ReadChunkedBodyAsync(Socket socket)
    {
        var raw = new MemoryStream();
        var buffer = new byte[65536];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            if (n == 0) break;
            raw.Write(buffer, 0, n);
            var bytes = raw.GetBuffer();
            var length = (int)raw.Length;
            if (length >= 5 && Encoding.ASCII.GetString(bytes, length - 5, 5) == "0\r\n\r\n"
                && TryDechunk(bytes.AsSpan(0, length), out var body))
                return body;
        }
        throw new IOException("the connection closed before the response ended");
    }

    private static bool TryDechunk(ReadOnlySpan<byte> raw, out string body)
    {
        body = "";
        var text = Encoding.UTF8.GetString(raw);
        var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headEnd < 0) return false;
        var pos = headEnd + 4;
        var sb = new StringBuilder();
        var bytes = raw.ToArray();
        var bytePos = Encoding.UTF8.GetByteCount(text[..pos]);
        while (true)
        {
            var lineEnd = IndexOf(bytes, bytePos);
            if (lineEnd < 0) return false;
            var size = int.Parse(Encoding.ASCII.GetString(bytes, bytePos, lineEnd - bytePos), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            bytePos = lineEnd + 2;
            if (size == 0)
            {
                body = sb.ToString();
                return true;
            }
            if (bytePos + size + 2 > bytes.Length) return false;
            sb.Append(Encoding.UTF8.GetString(bytes, bytePos, size));
            bytePos += size + 2;
        }
    }

    private static int IndexOf(byte[] bytes, int from)
    {
        for (var i = from; i + 1 < bytes.Length; i++)
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') return i;
        return -1;
    }
}
