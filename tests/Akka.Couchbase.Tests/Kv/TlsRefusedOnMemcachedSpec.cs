using System.Diagnostics;
using System.Net;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>
/// What a TLS client says when it cannot trust the server, and what it does then: a root it does not trust, a
/// certificate for another name, a server that does not speak TLS each fail the connect with their cause in plain
/// words, and the client retries at the pace of its reconnect backoff, not in a storm. The escape hatches
/// (verify-host-name = off, allow-insecure = on) let exactly their case through. A TLS connection lost with its
/// server comes back with it.
/// </summary>
public sealed class TlsRefusedOnMemcachedSpec : IClassFixture<TlsMemcachedFixture>
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    private readonly TlsMemcachedFixture _server;
    private readonly ITestOutputHelper _output;

    public TlsRefusedOnMemcachedSpec(TlsMemcachedFixture server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
    }

    private StandaloneClient Client(string address, string tls) => new(
        $"servers = [\"{address}\"]\nbucket-type = memcached\nconnect-timeout = 2s\n" +
        $"reconnect-min-backoff = {MinBackoff.TotalMilliseconds}ms\nreconnect-max-backoff = {MaxBackoff.TotalMilliseconds}ms\n" +
        $"reconnect-jitter = 0\ntls {{ enabled = on\n{tls} }}\n", _output);

    private static string Trust(string caPath) => $"trusted-certificates = [\"{caPath}\"]\n";

    [TlsFact]
    public async Task A_server_whose_root_is_not_trusted_is_refused_naming_that_root_and_retried_at_the_backoff_pace_for_ten_seconds()
    {
        var before = await TlsMemcachedFixture.TotalConnectionsAsync(_server.Memcached);
        var clock = Stopwatch.StartNew();
        using var spec = Client(_server.Memcached.Address, Trust(_server.OtherCa.CaPath));

        var e = await Assert.ThrowsAsync<KvTimeoutException>(() => spec.Client.ConnectAsync(TimeSpan.FromSeconds(3)));
        _output.WriteLine(e.Message);
        Assert.Contains("untrusted root", e.Message);
        Assert.Contains(_server.Ca.CaSubject, e.Message);
        Assert.Contains(_server.OtherCa.CaPath, e.Message);

        // The count is taken over a ten-second window of refusals: a storm would show in it, a backoff would not.
        var window = TimeSpan.FromSeconds(10) - clock.Elapsed;
        if (window > TimeSpan.Zero) await Task.Delay(window);
        var after = await TlsMemcachedFixture.TotalConnectionsAsync(_server.Memcached);
        var attempts = after - before - 1; // the second stats connection is not the client's
        var allowed = AttemptsWithin(clock.Elapsed) + 1; // one more for an attempt under way at either end
        _output.WriteLine($"{attempts} connects in {clock.ElapsedMilliseconds}ms; the backoff allows {allowed}");
        Assert.InRange(attempts, 2, allowed); // it did retry, at the backoff's pace
    }

    /// <summary>How many connects the backoff schedule (no jitter) starts within <paramref name="window"/>.</summary>
    private static int AttemptsWithin(TimeSpan window)
    {
        var attempts = 1; // the first, at once
        var at = TimeSpan.Zero;
        for (var n = 0; ; n++)
        {
            var delay = TimeSpan.FromMilliseconds(Math.Min(MinBackoff.TotalMilliseconds * Math.Pow(2, n), MaxBackoff.TotalMilliseconds));
            at += delay;
            if (at > window) return attempts;
            attempts++;
        }
    }

    [TlsFact]
    public async Task A_certificate_for_another_name_is_refused_naming_the_mismatch_and_accepted_when_names_are_not_checked()
    {
        var (chain, key) = _server.Ca.Server("elsewhere", new[] { "elsewhere.example" }, Array.Empty<IPAddress>());
        using var elsewhere = MemcachedProcess.WithTls(chain, key);

        using (var strict = Client(elsewhere.Address, Trust(_server.Ca.CaPath)))
        {
            var e = await Assert.ThrowsAsync<KvTimeoutException>(() => strict.Client.ConnectAsync(TimeSpan.FromSeconds(3)));
            _output.WriteLine(e.Message);
            Assert.Contains("name mismatch", e.Message);
            Assert.Contains("elsewhere.example", e.Message);
            Assert.Contains("'127.0.0.1'", e.Message);
        }

        using var lenient = Client(elsewhere.Address, Trust(_server.Ca.CaPath) + "verify-host-name = off\n");
        await lenient.Client.ConnectAsync(TimeSpan.FromSeconds(5));
        var k = $"name-{Guid.NewGuid():N}";
        Assert.Equal(KvOutcome.Success, (await lenient.Client.UpsertAsync(k, "v")).Outcome);
        Assert.Equal("v", await lenient.Client.GetAsync<string>(k));
    }

    [TlsFact]
    public async Task An_expired_certificate_is_refused_saying_until_when_it_was_valid()
    {
        var until = DateTimeOffset.UtcNow.AddHours(-1); // the test CA itself is valid from two days ago
        var (chain, key) = _server.Ca.Server("expired", new[] { "localhost" }, new[] { IPAddress.Loopback },
            notBefore: until.AddHours(-12), notAfter: until);
        using var expired = MemcachedProcess.WithTls(chain, key);

        using var spec = Client(expired.Address, Trust(_server.Ca.CaPath));
        var e = await Assert.ThrowsAsync<KvTimeoutException>(() => spec.Client.ConnectAsync(TimeSpan.FromSeconds(3)));
        _output.WriteLine(e.Message);
        Assert.Contains("expired", e.Message);
        Assert.Contains("was valid until", e.Message);
    }

    [TlsFact]
    public async Task A_server_that_accepts_and_says_nothing_ends_the_tls_handshake_at_the_connect_timeout()
    {
        using var silent = new MisbehavingServer(MisbehavingServer.Mode.AcceptThenSilence);
        using var spec = Client(silent.Address, Trust(_server.Ca.CaPath)); // connect-timeout = 2s
        var e = await Assert.ThrowsAsync<KvTimeoutException>(() => spec.Client.ConnectAsync(TimeSpan.FromSeconds(4)));
        _output.WriteLine(e.Message);
        Assert.Contains("the TLS handshake did not finish within 2000ms", e.Message);
        Assert.Contains("the server sent nothing back", e.Message);
    }

    [TlsFact]
    public async Task Turning_off_name_checks_does_not_trust_an_unknown_root()
    {
        using var spec = Client(_server.Memcached.Address, Trust(_server.OtherCa.CaPath) + "verify-host-name = off\n");
        var e = await Assert.ThrowsAsync<KvTimeoutException>(() => spec.Client.ConnectAsync(TimeSpan.FromSeconds(3)));
        Assert.Contains("untrusted root", e.Message);
    }

    [TlsFact]
    public async Task A_tls_client_against_a_plaintext_memcached_says_the_server_does_not_speak_tls()
    {
        using var plain = MemcachedProcess.Plain();
        using var spec = Client(plain.Address, Trust(_server.Ca.CaPath));
        var e = await Assert.ThrowsAsync<KvTimeoutException>(() => spec.Client.ConnectAsync(TimeSpan.FromSeconds(3)));
        _output.WriteLine(e.Message);
        Assert.Contains($"could not connect to {plain.Address} over TLS: the server does not speak TLS", e.Message);
    }

    [TlsFact]
    public async Task Over_tls_sasl_plain_is_used_without_allow_plain_auth()
    {
        var (chain, key) = _server.Ca.Localhost();
        using var sasl = MemcachedProcess.WithSaslAndTls("user", "pencil", chain, key);
        // This memcached offers PLAIN only: without TLS, allow-plain-auth = off refuses it (SaslOnMemcachedSpec).
        using var authenticated = new StandaloneClient(
            $"servers = [\"{sasl.Address}\"]\nbucket-type = memcached\nusername = user\npassword = pencil\n" +
            $"allow-plain-auth = off\ntls {{ enabled = on\n{Trust(_server.Ca.CaPath)} }}\n", _output);
        await authenticated.Client.ConnectAsync(TimeSpan.FromSeconds(5));
        var k = $"sasl-{Guid.NewGuid():N}";
        Assert.Equal(KvOutcome.Success, (await authenticated.Client.UpsertAsync(k, "v")).Outcome);
        Assert.Equal("v", await authenticated.Client.GetAsync<string>(k));
    }

    [TlsFact]
    public async Task A_tls_connection_lost_with_its_server_is_reported_and_comes_back_with_the_server()
    {
        var (chain, key) = _server.Ca.Localhost();
        using var server = MemcachedProcess.WithTls(chain, key);
        using var spec = Client(server.Address, Trust(_server.Ca.CaPath));
        await spec.Client.ConnectAsync(TimeSpan.FromSeconds(5));
        var k = $"back-{Guid.NewGuid():N}";
        Assert.Equal(KvOutcome.Success, (await spec.Client.UpsertAsync(k, "before")).Outcome);

        server.Kill();
        await spec.AwaitAssertAsync(async () =>
            Assert.False(Assert.Single((await spec.Client.DiagnosticsAsync()).Nodes).Connected),
            TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50));

        server.Start(); // a new process: the value written before is gone with the old one
        await spec.AwaitAssertAsync(async () =>
            Assert.True(Assert.Single((await spec.Client.DiagnosticsAsync()).Nodes).Connected),
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
        Assert.Equal(KvOutcome.NotFound, (await spec.Client.GetAsync(k)).Outcome);
        Assert.Equal(KvOutcome.Success, (await spec.Client.UpsertAsync(k, "after")).Outcome);
        Assert.Equal("after", await spec.Client.GetAsync<string>(k));
    }

    [TlsFact]
    public async Task Allow_insecure_connects_to_a_server_whose_root_is_not_trusted()
    {
        using var spec = Client(_server.Memcached.Address, Trust(_server.OtherCa.CaPath) + "allow-insecure = on\n");
        await spec.Client.ConnectAsync(TimeSpan.FromSeconds(5));
        var k = $"insecure-{Guid.NewGuid():N}";
        Assert.Equal(KvOutcome.Success, (await spec.Client.UpsertAsync(k, "v")).Outcome);
        Assert.Equal("v", await spec.Client.GetAsync<string>(k));
    }
}
