using System.Diagnostics;
using Akka.Couchbase.Discovery;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;

namespace Akka.Couchbase.Tests.Discovery;

/// <summary>
/// The lookup itself, over real UDP against <see cref="DnsResponder"/>: what it finds, and that every way of finding
/// nothing is an answer saying why, within the timeout, never an exception.
/// </summary>
public sealed class SrvResolverSpec : IAsyncLifetime
{
    private const string Record = "_couchbase._tcp.db.test";
    private readonly DnsResponder _dns = DnsResponder.Start();

    private DnsSrvSettings Dns(TimeSpan? timeout = null, string? nameServer = null) => new()
    {
        RecordName = Record,
        NameServer = nameServer ?? _dns.NameServer,
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    [Fact]
    public async Task Records_become_targets_in_seed_order_with_the_targets_trailing_dot_dropped()
    {
        _dns.Srv(Record, new SrvAnswer(20, 0, 11210, "cb3.db.test."), new SrvAnswer(10, 10, 11210, "cb1.db.test."),
            new SrvAnswer(10, 50, 11211, "cb2.db.test."));

        var lookup = await SrvResolver.LookupAsync(Dns());

        Assert.True(lookup.Found, lookup.Failure);
        Assert.Equal(new[] { ("cb2.db.test", 11211), ("cb1.db.test", 11210), ("cb3.db.test", 11210) },
            lookup.Targets.Select(t => t.Seed).ToArray());
        Assert.Equal(new AskedQuestion(Record, AskedQuestion.Srv), Assert.Single(_dns.Questions));
    }

    [Fact]
    public async Task A_name_that_does_not_exist_is_no_targets_and_says_so()
    {
        var lookup = await SrvResolver.LookupAsync(Dns());

        Assert.False(lookup.Found);
        Assert.Contains("Non-Existent Domain", lookup.Failure);
        Assert.Equal(Record, Assert.Single(_dns.Questions).Name);
    }

    [Fact]
    public async Task A_name_with_no_srv_records_is_no_targets_and_says_so()
    {
        _dns.Srv(Record);

        var lookup = await SrvResolver.LookupAsync(Dns());

        Assert.False(lookup.Found);
        Assert.Contains("no SRV records", lookup.Failure);
    }

    [Fact]
    public async Task A_name_server_that_does_not_answer_is_no_targets_within_the_timeout()
    {
        _dns.Silent = true;
        var timeout = TimeSpan.FromMilliseconds(400);
        var started = Stopwatch.StartNew();

        var lookup = await SrvResolver.LookupAsync(Dns(timeout));

        Assert.False(lookup.Found);
        Assert.Contains("no answer within 400ms", lookup.Failure);
        Assert.InRange(started.Elapsed, timeout * 0.9, timeout + TimeSpan.FromSeconds(2));
        Assert.NotEmpty(_dns.Questions); // it was asked, and said nothing
    }

    [Fact]
    public async Task No_name_server_listening_is_no_targets_not_an_exception()
    {
        var nobody = $"127.0.0.1:{FreeUdpPort()}";

        var lookup = await SrvResolver.LookupAsync(Dns(TimeSpan.FromSeconds(1), nobody));

        Assert.False(lookup.Found);
        Assert.False(string.IsNullOrEmpty(lookup.Failure));
    }

    private static int FreeUdpPort()
    {
        using var socket = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)socket.Client.LocalEndPoint!).Port;
    }
}
