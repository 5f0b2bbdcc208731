using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>SASL PLAIN against memcached started with <c>-S</c> and a sasldb.</summary>
public sealed class SaslOnMemcachedSpec : IClassFixture<SaslMemcachedFixture>
{
    private readonly SaslMemcachedFixture _server;
    private readonly ITestOutputHelper _output;

    public SaslOnMemcachedSpec(SaslMemcachedFixture server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
    }

    private StandaloneClient With(string password, bool allowPlain) => new(
        $"servers = [\"{_server.Memcached.Address}\"]\nbucket-type = memcached\nusername = {SaslMemcachedFixture.User}\npassword = \"{password}\"\n" +
        $"allow-plain-auth = {(allowPlain ? "on" : "off")}\nreconnect-min-backoff = 50ms\n", _output);

    [Fact]
    public async Task The_right_password_authenticates_and_operations_work()
    {
        using var spec = With(SaslMemcachedFixture.Password, allowPlain: true);
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
        // Credentials do not fix themselves: with every node refusing them, a command fails with the same cause.
        await Assert.ThrowsAsync<KvAuthenticationException>(() => spec.Client.GetAsync("k"));
    }

    [Fact]
    public async Task Plain_is_refused_unless_allowed_in_hocon()
    {
        using var spec = With(SaslMemcachedFixture.Password, allowPlain: false);
        var e = await Assert.ThrowsAsync<KvAuthenticationException>(() => spec.Client.ConnectAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("allow-plain-auth", e.Message);
    }
}
