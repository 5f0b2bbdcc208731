using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Akka.Couchbase.TestKit.Http;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Http;

public sealed class HttpServerTests
{
    private static HttpClient Client(HttpServer server) =>
        new() { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}/"), Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Parses_method_path_query_and_headers()
    {
        HttpRequest? seen = null;
        await using var server = HttpServer.Start(IPAddress.Loopback, 0, async (req, resp, _) =>
        {
            seen = req;
            await resp.WriteJsonAsync(200, "{\"ok\":true}");
        });
        Assert.NotEqual(0, server.Port);
        using var client = Client(server);
        using var msg = new HttpRequestMessage(HttpMethod.Get,
            "/beer-sample%2Babc/_design/beer/_view/by_location?startkey=%5B%22a+b%22%5D&limit=5&limit=7&flag");
        msg.Headers.Add("X-Custom", "v1");
        using var reply = await client.SendAsync(msg);

        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Equal("application/json", reply.Content.Headers.ContentType!.MediaType);
        Assert.Equal("{\"ok\":true}", await reply.Content.ReadAsStringAsync());
        Assert.NotNull(seen);
        Assert.Equal("GET", seen!.Method);
        Assert.Equal("/beer-sample+abc/_design/beer/_view/by_location", seen.Path);
        Assert.Equal("startkey=%5B%22a+b%22%5D&limit=5&limit=7&flag", seen.RawQuery);
        Assert.Equal("[\"a b\"]", seen.Query["startkey"]);
        Assert.Equal("7", seen.Query["limit"]);
        Assert.Equal("", seen.Query["flag"]);
        Assert.Equal("v1", seen.Headers["x-custom"]);
        Assert.False(seen.TryGetBasicAuth(out _, out _));
    }

    [Fact]
    public async Task Reads_basic_auth_and_bodies()
    {
        var bodies = new List<string>();
        string? user = null, password = null;
        await using var server = HttpServer.Start(IPAddress.Loopback, 0, async (req, resp, _) =>
        {
            lock (bodies) bodies.Add(req.BodyText);
            req.TryGetBasicAuth(out var u, out var p);
            user = u;
            password = p;
            await resp.WriteJsonAsync(201, "{}");
        });
        using var client = Client(server);
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("Administrator:pa:ss")));

        using var fixedLength = await client.PutAsync("/b/_design/d", new StringContent("{\"views\":{}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, fixedLength.StatusCode);
        Assert.Equal("Administrator", user);
        Assert.Equal("pa:ss", password);

        // a body without a length goes chunked
        var stream = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes("{\"keys\":[1,2,3]}")));
        using var chunked = await client.PostAsync("/b/_design/d/_view/v", stream);
        Assert.Equal(HttpStatusCode.Created, chunked.StatusCode);
        Assert.Equal(new[] { "{\"views\":{}}", "{\"keys\":[1,2,3]}" }, bodies);
    }

    [Fact]
    public async Task Streams_a_chunked_response()
    {
        await using var server = HttpServer.Start(IPAddress.Loopback, 0, async (_, resp, _) =>
        {
            await resp.WriteHeadAsync(200, "application/json", chunked: true,
                new[] { new KeyValuePair<string, string>("X-Extra", "1") });
            await resp.WriteAsync("{\"rows\":[");
            for (var i = 0; i < 100; i++) await resp.WriteAsync((i == 0 ? "" : ",") + i);
            await resp.WriteAsync("]}");
            await resp.EndAsync();
        });
        using var client = Client(server);
        using var reply = await client.GetAsync("/x");
        Assert.True(reply.Headers.TransferEncodingChunked);
        Assert.Equal("1", reply.Headers.GetValues("X-Extra").Single());
        var json = JObject.Parse(await reply.Content.ReadAsStringAsync());
        Assert.Equal(100, ((JArray)json["rows"]!).Count);
    }

    [Fact]
    public async Task Buffered_response_gets_a_content_length()
    {
        await using var server = HttpServer.Start(IPAddress.Loopback, 0, async (_, resp, _) =>
        {
            await resp.WriteHeadAsync(200, "text/plain", chunked: false);
            await resp.WriteAsync("hello ");
            await resp.WriteAsync("world");
            // EndAsync left to the server
        });
        using var client = Client(server);
        using var reply = await client.GetAsync("/x");
        Assert.Equal(11, reply.Content.Headers.ContentLength);
        Assert.Equal("hello world", await reply.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Keeps_the_connection_alive_across_requests()
    {
        await using var server = HttpServer.Start(IPAddress.Loopback, 0, (req, resp, _) =>
            resp.WriteJsonAsync(200, "\"" + req.Path + "\""));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        var pipelined = "GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(pipelined), SocketFlags.None);
        var text = await ReadUntilAsync(socket, s => s.Contains("\"/two\""));
        Assert.Contains("\"/one\"", text);
        Assert.Equal(2, CountOf(text, "HTTP/1.1 200 OK"));
        Assert.Equal(1, server.ConnectionCount);

        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /three HTTP/1.1\r\nConnection: close\r\n\r\n"), SocketFlags.None);
        var last = await ReadToEndAsync(socket);
        Assert.Contains("\"/three\"", last);
        Assert.Contains("Connection: close", last);
    }

    [Fact]
    public async Task A_failing_handler_gets_a_500_and_the_connection_survives()
    {
        await using var server = HttpServer.Start(IPAddress.Loopback, 0, (req, resp, _) =>
        {
            if (req.Path == "/boom") throw new InvalidOperationException("kaput \"quoted\"");
            return resp.WriteJsonAsync(200, "{}");
        });
        using var client = Client(server);
        using var reply = await client.GetAsync("/boom");
        Assert.Equal(HttpStatusCode.InternalServerError, reply.StatusCode);
        var json = JObject.Parse(await reply.Content.ReadAsStringAsync());
        Assert.Equal("internal", (string?)json["error"]);
        Assert.Equal("kaput \"quoted\"", (string?)json["reason"]);
        using var next = await client.GetAsync("/fine");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task A_handler_that_writes_nothing_yields_404()
    {
        await using var server = HttpServer.Start(IPAddress.Loopback, 0, (_, _, _) => Task.CompletedTask);
        using var client = Client(server);
        using var reply = await client.GetAsync("/nothing");
        Assert.Equal(HttpStatusCode.NotFound, reply.StatusCode);
    }

    [Fact]
    public async Task Rejects_headers_over_64_KiB_with_431()
    {
        await using var server = HttpServer.Start(IPAddress.Loopback, 0, (_, resp, _) => resp.WriteJsonAsync(200, "{}"));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        var head = "GET / HTTP/1.1\r\nX-Big: " + new string('a', 70 * 1024) + "\r\n\r\n";
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(head), SocketFlags.None);
        }
        catch (SocketException)
        {
            // the server may close before reading everything
        }
        var text = await ReadToEndAsync(socket);
        Assert.StartsWith("HTTP/1.1 431", text);
    }

    [Fact]
    public async Task Headers_just_under_the_limit_are_accepted()
    {
        await using var server = HttpServer.Start(IPAddress.Loopback, 0, (_, resp, _) => resp.WriteJsonAsync(200, "{}"));
        using var client = Client(server);
        using var msg = new HttpRequestMessage(HttpMethod.Get, "/");
        msg.Headers.Add("X-Big", new string('a', 60 * 1024));
        using var reply = await client.SendAsync(msg);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
    }

    [Fact]
    public async Task A_client_that_stops_reading_stalls_the_writer()
    {
        long written = 0;
        var chunk = new byte[4096];
        Array.Fill(chunk, (byte)'x');
        var handlerDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = HttpServer.Start(IPAddress.Loopback, 0, async (_, resp, ct) =>
        {
            try
            {
                await resp.WriteHeadAsync(200, "text/plain", chunked: true);
                while (!ct.IsCancellationRequested && Interlocked.Read(ref written) < 512L * 1024 * 1024)
                {
                    await resp.WriteAsync(chunk);
                    Interlocked.Add(ref written, chunk.Length);
                }
            }
            finally
            {
                handlerDone.TrySetResult();
            }
        }, new HttpServerOptions { SendBufferSize = 8192 });

        var blocked = server.BlockedWrites.NextAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 8192 };
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        await socket.SendAsync("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), SocketFlags.None);

        // never read: once the kernel buffers are full the writer waits on a write that the socket does not take
        var stall = await blocked.WaitAsync(TimeSpan.FromSeconds(30));
        var atStall = Interlocked.Read(ref written);
        Assert.True(stall.IsBlocked, "the blocked write went out although the client read nothing");
        Assert.True(atStall < 16 * 1024 * 1024, $"wrote {atStall} bytes to a client that reads nothing");
        Assert.False(handlerDone.Task.IsCompleted);

        // reading resumes the writer, which goes on until the buffers are full again
        var again = server.BlockedWrites.NextAsync();
        var buffer = new byte[65536];
        while (!stall.Resumed.IsCompleted) await socket.ReceiveAsync(buffer, SocketFlags.None);
        var next = await again.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(next.Progress > stall.Progress, $"blocked again at byte {next.Progress}, first at {stall.Progress}");
        Assert.True(Interlocked.Read(ref written) > atStall);

        server.DropConnections();
        await handlerDone.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task DropConnections_cuts_open_streams_and_the_server_keeps_serving()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = HttpServer.Start(IPAddress.Loopback, 0, async (req, resp, ct) =>
        {
            if (req.Path == "/hang")
            {
                await resp.WriteHeadAsync(200, "application/json", chunked: true);
                await resp.WriteAsync("[");
                await resp.FlushAsync();
                started.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            }
            else
            {
                await resp.WriteJsonAsync(200, "{}");
            }
        });
        using var client = Client(server);
        var hanging = client.GetStringAsync("/hang");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        server.DropConnections();
        await Assert.ThrowsAnyAsync<Exception>(() => hanging.WaitAsync(TimeSpan.FromSeconds(10)));

        using var fresh = Client(server);
        using var reply = await fresh.GetAsync("/ok");
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
    }

    [Fact]
    public async Task Http_1_0_clients_get_a_close_delimited_body_instead_of_chunks()
    {
        await using var server = HttpServer.Start(IPAddress.Loopback, 0, async (_, resp, _) =>
        {
            await resp.WriteHeadAsync(200, "text/plain", chunked: true);
            await resp.WriteAsync("one,");
            await resp.WriteAsync("two");
            await resp.EndAsync();
        });
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        await socket.SendAsync("GET /x HTTP/1.0\r\n\r\n"u8.ToArray(), SocketFlags.None);
        var text = await ReadToEndAsync(socket);
        Assert.DoesNotContain("Transfer-Encoding", text);
        Assert.Contains("Connection: close", text);
        Assert.EndsWith("\r\n\r\none,two", text);
    }

    [Fact]
    public async Task Absolute_form_targets_and_HEAD_requests()
    {
        HttpRequest? seen = null;
        await using var server = HttpServer.Start(IPAddress.Loopback, 0, (req, resp, _) =>
        {
            seen = req;
            return resp.WriteJsonAsync(200, "{\"big\":\"body\"}");
        });
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        await socket.SendAsync("HEAD http://example:8092/b/_design/d?x=1 HTTP/1.1\r\nConnection: close\r\n\r\n"u8.ToArray(), SocketFlags.None);
        var text = await ReadToEndAsync(socket);
        Assert.Equal("/b/_design/d", seen!.Path);
        Assert.Equal("1", seen.Query["x"]);
        Assert.Contains("Content-Length: 14", text);
        Assert.EndsWith("\r\n\r\n", text);
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n", "HTTP/1.1 400")]
    [InlineData("GET / HTTP/1.1\r\nContent-Length: nope\r\n\r\n", "HTTP/1.1 400")]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 2048\r\n\r\n", "HTTP/1.1 413")]
    [InlineData("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "HTTP/1.1 413")]
    public async Task Malformed_or_oversized_requests_are_refused(string request, string expectedStatusLine)
    {
        var called = false;
        await using var server = HttpServer.Start(IPAddress.Loopback, 0, (_, resp, _) =>
        {
            called = true;
            return resp.WriteJsonAsync(200, "{}");
        }, new HttpServerOptions { MaxBodyBytes = 1024 });
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None);
        var text = await ReadToEndAsync(socket);
        Assert.StartsWith(expectedStatusLine, text);
        Assert.Contains("\"error\":", text);
        Assert.False(called);
    }

    [Fact]
    public async Task StopAsync_closes_the_port()
    {
        var server = HttpServer.Start(IPAddress.Loopback, 0, (_, resp, _) => resp.WriteJsonAsync(200, "{}"));
        var port = server.Port;
        await server.StopAsync();
        await server.StopAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAnyAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Loopback, port));
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }

    private static async Task<string> ReadUntilAsync(Socket socket, Func<string, bool> done)
    {
        var sb = new StringBuilder();
        var buffer = new byte[8192];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!done(sb.ToString()))
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            if (n == 0) break;
            sb.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        return sb.ToString();
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        var sb = new StringBuilder();
        var buffer = new byte[8192];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            }
            catch (SocketException)
            {
                break;
            }
            if (n == 0) break;
            sb.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        return sb.ToString();
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
