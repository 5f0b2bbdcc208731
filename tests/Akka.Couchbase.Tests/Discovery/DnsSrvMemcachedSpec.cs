using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Discovery;

/// <summary>
/// A memcached bucket whose node list comes from DNS SRV: the records' targets are its whole, static list of nodes
/// (stock memcached, over real sockets), and commands sent during the lookup are spread over them once it answers.
/// </summary>
public sealed class DnsSrvMemcachedSpec : IClassFixture<TwoMemcachedFixture>, IAsyncLifetime
{
    private const string Record = "_couchbase._tcp.cache.test";
    private readonly TwoMemcachedFixture _servers;
    private readonly ITestOutputHelper _output;
    private readonly DnsResponder _dns = DnsResponder.Start();

    public DnsSrvMemcachedSpec(TwoMemcachedFixture servers, ITestOutputHelper output)
    {
        _servers = servers;
        _output = output;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    [Fact]
    public async Task The_records_targets_are_the_buckets_nodes_and_commands_held_meanwhile_reach_them()
    {
        _dns.Srv(Record, _servers.All.Select(m => new SrvAnswer(0, 0, m.Port, "localhost")).ToArray());
        _dns.HoldAnswers();
        using var standalone = new StandaloneClient(
            "connection-string = \"couchbase://cache.test\"\nbucket-type = memcached\n" +
            $"dns-srv.name-server = \"{_dns.NameServer}\"\ndns-srv.timeout = 5s\n", _output);

        var keys = Enumerable.Range(0, 40).Select(i => $"held-{i}").ToList();
        var upserts = keys.Select(k => standalone.Client.UpsertAsync(k, k)).ToList();
        await _dns.NextQuestionAsync(TimeSpan.FromSeconds(5));
        _dns.ReleaseAnswers();
        await Task.WhenAll(upserts);

        var diagnostics = await standalone.Client.DiagnosticsAsync();
        Assert.Equal(_servers.All.Select(m => $"localhost:{m.Port}").ToArray(),
            diagnostics.Nodes.Select(n => n.Address).ToArray());
        foreach (var key in keys) Assert.Equal(key, await standalone.Client.GetAsync<string>(key));
    }
}
