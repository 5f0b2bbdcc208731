using Akka.Actor;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>
/// A connect that fails says why, for every seed it tried: each address with its own cause (refused, closed or reset
/// by the server, a handshake that never finished), in words a person acts on.
/// </summary>
public sealed class ConnectFailureSpec
{
    private readonly ITestOutputHelper _output;

    public ConnectFailureSpec(ITestOutputHelper output) => _output = output;

    private StandaloneClient Client(string bucketType, string transport, params string[] servers) => new(
        $"servers = [{string.Join(",", servers.Select(s => $"\"{s}\""))}]\nbucket-type = {bucketType}\ntransport = {transport}\n" +
        "connect-timeout = 1s\nhandshake-timeout = 1s\nreconnect-min-backoff = 50ms\nreconnect-max-backoff = 200ms\n", _output);

    [Theory]
    [InlineData("couchbase", "akka-io")]
    [InlineData("memcached", "akka-io")]
    [InlineData("couchbase", "socket")]
    [InlineData("memcached", "socket")]
    public async Task Two_refused_seeds_are_both_named_with_their_cause(string bucketType, string transport)
    {
        using var firstPort = FreePort.Refusing();
        using var secondPort = FreePort.Refusing();
        var (first, second) = (firstPort.Address, secondPort.Address);
        using var spec = Client(bucketType, transport, first, second);

        // Long enough for both seeds to have been tried and refused on a machine busy with other tests.
        var e = await Assert.ThrowsAsync<KvTimeoutException>(() => spec.Client.ConnectAsync(TimeSpan.FromSeconds(6)));
        _output.WriteLine(e.Message);
        Assert.Contains($"{first}: connection refused", e.Message);
        Assert.Contains($"{second}: connection refused", e.Message);
    }

    [Theory]
    [InlineData("akka-io")]
    [InlineData("socket")]
    public async Task A_command_that_finds_no_node_says_why_each_seed_failed(string transport)
    {
        using var seedPort = FreePort.Refusing();
        var seed = seedPort.Address;
        using var spec = Client("couchbase", transport, seed);
        var e = await Assert.ThrowsAsync<KvTimeoutException>(() =>
            spec.Client.SendAsync<GetResult>(new Akka.Couchbase.Kv.Get("k") { Timeout = TimeSpan.FromSeconds(2) }));
        Assert.Contains("no cluster map yet", e.Message);
        Assert.Contains($"{seed}: connection refused", e.Message);
    }

    [Theory]
    [InlineData("akka-io")]
    [InlineData("socket")]
    public async Task A_seed_that_accepts_and_never_speaks_is_named_with_the_handshake_that_did_not_finish(string transport)
    {
        using var silent = new MisbehavingServer(MisbehavingServer.Mode.AcceptThenSilence);
        using var refusedPort = FreePort.Refusing();
        var refused = refusedPort.Address;
        using var spec = Client("couchbase", transport, silent.Address, refused);

        var e = await Assert.ThrowsAsync<KvTimeoutException>(() => spec.Client.ConnectAsync(TimeSpan.FromSeconds(4)));
        _output.WriteLine(e.Message);
        Assert.Contains($"handshake with {silent.Address} did not finish within 1000ms", e.Message);
        Assert.Contains($"{refused}: connection refused", e.Message);
    }

    [Theory]
    [InlineData("akka-io")]
    [InlineData("socket")]
    public async Task A_seed_that_accepts_and_hangs_up_is_named_as_closed_by_the_server(string transport)
    {
        // It reads the handshake before it closes: with nothing left unread, the close is a clean one (a FIN, not a
        // reset), and the client, waiting for the handshake's answers, sees the server close the connection.
        using var closing = new MisbehavingServer(MisbehavingServer.Mode.ReadThenClose);
        using var spec = Client("memcached", transport, closing.Address);

        var e = await Assert.ThrowsAsync<KvTimeoutException>(() => spec.Client.ConnectAsync(TimeSpan.FromSeconds(3)));
        _output.WriteLine(e.Message);
        Assert.Contains($"connection to {closing.Address} closed: closed by the server", e.Message);
        Assert.True(closing.Connections > 0, "the seed never saw a connection");
    }

    [Theory]
    [InlineData("akka-io")]
    [InlineData("socket")]
    public async Task Diagnostics_name_the_cause_while_nothing_is_connected(string transport)
    {
        using var seedPort = FreePort.Refusing();
        var seed = seedPort.Address;
        using var spec = Client("memcached", transport, seed);
        await spec.AwaitAssertAsync(async () =>
        {
            var diagnostics = await spec.Client.DiagnosticsAsync();
            Assert.Contains($"{seed}: connection refused", diagnostics.LastBootstrapError);
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
    }
}
