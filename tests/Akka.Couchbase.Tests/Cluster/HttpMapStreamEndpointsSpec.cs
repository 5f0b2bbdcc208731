using System.Net;
using System.Net.Sockets;
using Akka.Couchbase.Tests.Infrastructure;
using Akka.Couchbase.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>
/// The HTTP map stream moves on from a cluster manager endpoint that is down, or that accepts the connection and
/// never sends a map, to the next one.
/// </summary>
public sealed class HttpMapStreamEndpointsSpec : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private InProcessCluster _cluster = null!;
    private TcpListener _silent = null!;
    private readonly List<Socket> _held = new();

    public HttpMapStreamEndpointsSpec(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync()
    {
        _cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions { Users = { ["app"] = "s3cret" } });
        _cluster.Faults.SetCccp(false);
        // Accepts connections and never answers: an HTTP request to it hangs after the connect.
        _silent = new TcpListener(IPAddress.Loopback, 0);
        _silent.Start();
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var socket = await _silent.AcceptSocketAsync();
                    lock (_held) _held.Add(socket);
                }
            }
            catch (Exception) { /* stopped */ }
        });
    }

    public async Task DisposeAsync()
    {
        _silent.Stop();
        lock (_held) foreach (var s in _held) s.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_silent_endpoint_and_a_closed_port_are_passed_over_for_one_that_streams_the_map()
    {
        var silent = ((IPEndPoint)_silent.LocalEndpoint).Port;
        using var closedPort = FreePort.Refusing();
        var closed = closedPort.Port;
        var real = _cluster.Nodes[0].MgmtPort;
        using var spec = new StandaloneClient(
            $"servers = [\"127.0.0.1:{_cluster.Nodes[0].KvPort}\"]\nusername = app\npassword = s3cret\n" +
            "handshake-timeout = 1s\nreconnect-min-backoff = 50ms\nreconnect-max-backoff = 200ms\n" +
            $"http-bootstrap.servers = [\"127.0.0.1:{silent}\", \"127.0.0.1:{closed}\", \"127.0.0.1:{real}\"]\n", _output);

        var connected = await spec.Client.ConnectAsync(TimeSpan.FromSeconds(15));
        Assert.NotEmpty(connected.Nodes);
        Assert.Equal(KvOutcome.Success, (await spec.Client.UpsertAsync("streamed", "yes")).Outcome);
        Assert.Equal("yes", await spec.Client.GetAsync<string>("streamed"));
        lock (_held) Assert.NotEmpty(_held); // the silent endpoint was tried first
    }

    [Fact]
    public async Task A_healthy_stream_is_reopened_on_the_next_endpoint_every_reopen_interval()
    {
        var nodes = _cluster.Nodes;
        using var refusing = FreePort.Refusing();
        using var spec = new StandaloneClient(
            $"servers = [\"127.0.0.1:{nodes[0].KvPort}\"]\nusername = app\npassword = s3cret\n" +
            "http-bootstrap.reopen-interval = 300ms\n" +
            $"http-bootstrap.servers = [\"127.0.0.1:{nodes[0].MgmtPort}\", \"{refusing.Address}\"]\n", _output);
        await spec.Client.ConnectAsync(TimeSpan.FromSeconds(15));
        var reopened = spec.Probe();
        spec.Sys.EventStream.Subscribe(reopened.Ref, typeof(Akka.Event.Info));
        // After 300 ms the healthy stream is left for the second endpoint (a closed port): that failure is logged.
        await reopened.FishForMessageAsync(m => m is Akka.Event.Info info && info.Message.ToString()!.Contains("closed (Connection refused"),
            TimeSpan.FromSeconds(5));
    }
}
