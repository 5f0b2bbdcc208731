using System.Diagnostics;
using Akka.Couchbase.TestKit;
using Akka.Couchbase.Tests.Infrastructure;
using Akka.Event;
using Akka.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Discovery;

/// <summary>
/// A client given <c>couchbase://db.test</c> finds its seeds in DNS SRV (<see cref="DnsResponder"/>, over real UDP)
/// and bootstraps from them against an in-process cluster over real sockets. <c>db.test</c> itself resolves
/// nowhere, so a client that reaches the cluster got there through the records' targets.
/// </summary>
public sealed class DnsSrvBootstrapSpec : IAsyncLifetime
{
    private const string Record = "_couchbase._tcp.db.test";
    private readonly ITestOutputHelper _output;
    private readonly DnsResponder _dns = DnsResponder.Start();
    private readonly List<StandaloneClient> _clients = new();
    private InProcessCluster _cluster = null!;

    public DnsSrvBootstrapSpec(ITestOutputHelper output) => _output = output;

    private int LivePort => _cluster.Nodes[0].KvPort;

    public async Task InitializeAsync() =>
        _cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions
        {
            Nodes = 1,
            Buckets = { new BucketDefinition("default", BucketType.Couchbase, VBuckets: 16, Replicas: 0) },
            Users = { ["app"] = "s3cret" },
        });

    public async Task DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        await _cluster.DisposeAsync();
        await _dns.DisposeAsync();
    }

    /// <summary>A client of <paramref name="connectionString"/> asking the responder, and a probe of its info log (subscribed before it starts).</summary>
    private (StandaloneClient Client, TestProbe Log) Start(string connectionString = "couchbase://db.test/default",
        string timeout = "5s", string extra = "")
    {
        var client = new StandaloneClient(
            $"connection-string = \"{connectionString}\"\nusername = app\npassword = s3cret\n" +
            $"dns-srv {{ name-server = \"{_dns.NameServer}\"\ntimeout = {timeout}\n}}\n" +
            "reconnect-min-backoff = 50ms\nreconnect-max-backoff = 500ms\nhttp-bootstrap.enabled = off\n" + extra, _output);
        _clients.Add(client);
        var log = client.Probe();
        client.Sys.EventStream.Subscribe(log.Ref, typeof(Info));
        return (client, log);
    }

    private static async Task<string> LogLineAsync(TestProbe log, string containing) =>
        (await log.FishForMessageAsync<Info>(i => i.Message.ToString()!.Contains(containing, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10))).Message.ToString()!;

    [Fact]
    public async Task The_records_target_is_the_seed_the_client_connects_through()
    {
        _dns.Srv(Record, new SrvAnswer(0, 0, LivePort, "localhost."));
        var (standalone, _) = Start();

        await standalone.Client.ConnectAsync(TimeSpan.FromSeconds(10));
        await standalone.Client.UpsertAsync("beer", "stout");

        Assert.Equal("stout", await standalone.Client.GetAsync<string>("beer"));
        Assert.Equal(new[] { new AskedQuestion(Record, AskedQuestion.Srv) }, _dns.Questions);
    }

    [Fact]
    public async Task Couchbases_looks_up_the_tls_record()
    {
        var (standalone, log) = Start("couchbases://db.test/default?tls_verify=none");
        _ = standalone.Client;

        var line = await LogLineAsync(log, "DNS SRV");

        Assert.Contains("_couchbases._tcp.db.test found no seeds", line);
        Assert.Equal("_couchbases._tcp.db.test", (await _dns.NextQuestionAsync(TimeSpan.FromSeconds(5))).Name);
    }

    [Fact]
    public async Task Several_records_are_tried_by_priority_then_weight_until_one_answers()
    {
        using var deadPort = FreePort.Refusing();
        using var alsoDeadPort = FreePort.Refusing();
        var (dead, alsoDead) = (deadPort.Port, alsoDeadPort.Port);
        _dns.Srv(Record, new SrvAnswer(10, 0, LivePort, "localhost"), new SrvAnswer(0, 0, dead, "localhost"),
            new SrvAnswer(10, 50, alsoDead, "localhost"));
        var (standalone, log) = Start();

        await standalone.Client.ConnectAsync(TimeSpan.FromSeconds(10));

        var line = await LogLineAsync(log, "DNS SRV");
        Assert.Contains($"seeds [localhost:{dead} (priority 0, weight 0), localhost:{alsoDead} (priority 10, weight 50), " +
                        $"localhost:{LivePort} (priority 10, weight 0)]", line);
        await standalone.Client.UpsertAsync("k", 1);
    }

    [Fact]
    public async Task A_name_with_no_record_falls_back_to_the_name_itself_on_the_default_port()
    {
        var (standalone, log) = Start(); // the responder knows no name: NXDOMAIN
        _ = standalone.Client;

        var line = await LogLineAsync(log, "DNS SRV");
        var diagnostics = await standalone.Client.DiagnosticsAsync();

        Assert.Contains($"{Record} found no seeds (Non-Existent Domain", line);
        Assert.Contains("bootstrapping from [db.test:11210]", line);
        Assert.Equal(new[] { "db.test:11210" }, diagnostics.Nodes.Select(n => n.Address).ToArray());
    }

    [Fact]
    public async Task A_name_server_that_does_not_answer_is_given_up_on_within_the_timeout()
    {
        _dns.Silent = true;
        var started = Stopwatch.StartNew();
        var (standalone, log) = Start(timeout: "500ms");
        _ = standalone.Client;

        var line = await LogLineAsync(log, "DNS SRV");

        Assert.Contains("no answer within 500ms", line);
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(4));
        Assert.NotEmpty(_dns.Questions);
        Assert.Equal(new[] { "db.test:11210" }, (await standalone.Client.DiagnosticsAsync()).Nodes.Select(n => n.Address).ToArray());
    }

    [Fact]
    public async Task Commands_sent_during_the_lookup_wait_for_it_and_are_answered()
    {
        _dns.Srv(Record, new SrvAnswer(0, 0, LivePort, "localhost"));
        _dns.HoldAnswers();
        var (standalone, _) = Start();

        var upsert = standalone.Client.UpsertAsync("early", "bird");
        await _dns.NextQuestionAsync(TimeSpan.FromSeconds(5));
        var diagnostics = await standalone.Client.DiagnosticsAsync();
        Assert.Empty(diagnostics.Nodes); // no seed yet: the lookup has not answered
        Assert.Equal(1, diagnostics.Backlog); // the upsert waits for it
        _dns.ReleaseAnswers();

        Assert.True((await upsert).Cas != 0);
        Assert.Equal("bird", await standalone.Client.GetAsync<string>("early"));
    }

    [Fact]
    public async Task A_command_whose_deadline_passes_during_the_lookup_fails_saying_what_it_waits_for()
    {
        _dns.HoldAnswers();
        var (standalone, _) = Start();

        var e = await Assert.ThrowsAsync<KvTimeoutException>(() =>
            standalone.Client.SendAsync<GetResult>(new Kv.Get("late") { Timeout = TimeSpan.FromMilliseconds(300) }));

        Assert.Contains($"the DNS SRV lookup of {Record} has not answered yet", e.Message);
    }

    [Theory]
    [InlineData("couchbase://127.0.0.1/default", "127.0.0.1:11210")]
    [InlineData("couchbase://[::1]/default", "[::1]:11210")]
    [InlineData("couchbase://localhost/default", "localhost:11210")]
    public async Task An_ip_literal_or_localhost_is_never_looked_up(string connectionString, string seed)
    {
        var (standalone, _) = Start(connectionString);

        // The first message the client handles already finds its seed: bootstrap began without a lookup.
        var diagnostics = await standalone.Client.DiagnosticsAsync();

        Assert.Equal(new[] { seed }, diagnostics.Nodes.Select(n => n.Address).ToArray());
        Assert.Empty(_dns.Questions);
    }

    [Fact]
    public async Task The_option_srv_false_bootstraps_from_the_name_without_a_lookup()
    {
        var (standalone, _) = Start("couchbase://db.test/default?srv=false");

        var diagnostics = await standalone.Client.DiagnosticsAsync();

        Assert.Equal(new[] { "db.test:11210" }, diagnostics.Nodes.Select(n => n.Address).ToArray());
        Assert.Empty(_dns.Questions);
    }

    [Fact]
    public async Task When_every_seed_has_failed_the_record_is_looked_up_again()
    {
        using var deadPort = FreePort.Refusing();
        var dead = deadPort.Port;
        // The first answer names a node that is gone; the zone has been updated by the second question.
        _dns.Srv(Record, asked => new[] { new SrvAnswer(0, 0, asked == 1 ? dead : LivePort, "localhost") });
        var (standalone, log) = Start(extra: "dns-srv.re-resolve-interval = 0s\n");

        await standalone.Client.ConnectAsync(TimeSpan.FromSeconds(10));

        Assert.Contains($"new seeds [localhost:{LivePort} (priority 0, weight 0)] (were [localhost:{dead}])",
            await LogLineAsync(log, "looked up again"));
        Assert.True(_dns.Questions.Count >= 2);
        await standalone.Client.UpsertAsync("found", "again");
    }
}
