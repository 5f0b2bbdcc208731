using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>SASL PLAIN against memcached started with <c>-S</c> and a sasldb.</summary>
public sealed class SaslOnMemcachedSpec : IClassFixture<SaslOnMemcachedSpec.Server>
{
    public sealed class Server : IDisposable
    {
        public MemcachedProcess Memcached { get; } = MemcachedProcess.WithSasl("user", "pencil");
        public void Dispose() => Memcached.Dispose();
    }

    private readonly Server _server;
    private readonly ITestOutputHelper _output;

    public SaslOnMemcachedSpec(Server server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
    }

    private StandaloneClient With(string password, bool allowPlain) => new(
        $"servers = [\"{_server.Memcached.Address}\"]\nbucket-type = memcached\nusername = user\npassword = \"{password}\"\n" +
        $"allow-plain-auth = {(allowPlain ? "on" : "off")}\nreconnect-min-backoff = 50ms\n", _output);

    [Fact]
    public async Task The_right_password_authenticates_and_operations_work()
    {
        using var spec = With("pencil", allowPlain: true);
        await spec.Client.ConnectAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(KvOutcome.Success, (await spec.Client.UpsertAsync("sasl-key", "secret value")).Outcome);
        Assert.Equal("secret value", await spec.Client.GetAsync<string>("sasl-key"));
    }

    [Fact]
    public async Task A_wrong_password_fails_connect_and_operations_with_an_authentication_error()
    {
        using var spec = With("wrong", allowPlain: true);
        var e = await Assert.ThrowsAsync<KvAuthenticationException>(() => spec.Client.ConnectAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("user 'user'", e.Message);
        Assert.DoesNotContain("wrong", e.Message);
        var op = await Assert.ThrowsAnyAsync<CouchbaseException>(() => spec.Client.GetAsync("k"));
        Assert.True(op is KvAuthenticationException or KvNodeUnavailableException, op.ToString());
    }

    [Fact]
    public async Task Plain_is_refused_unless_allowed_in_hocon()
    {
        using var spec = With("pencil", allowPlain: false);
        var e = await Assert.ThrowsAsync<KvAuthenticationException>(() => spec.Client.ConnectAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("allow-plain-auth", e.Message);
    }
}
