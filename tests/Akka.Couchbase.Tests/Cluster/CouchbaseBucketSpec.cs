using Akka.Couchbase.Protocol;
using Akka.Couchbase.Tests.Infrastructure;
using Akka.Couchbase.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>A Couchbase bucket on the in-process cluster: SCRAM, vBucket routing, locks and expiry.</summary>
public sealed class CouchbaseBucketSpec : EmbeddedClusterSpec
{
    public CouchbaseBucketSpec(ITestOutputHelper output) : base(output) { }

    [Fact]
    public async Task Connects_with_scram_and_sends_each_key_to_its_active_node()
    {
        await Client.ConnectAsync(TimeSpan.FromSeconds(10));
        Assert.True(Cluster.SuccessfulAuthentications.GetValueOrDefault("SCRAM-SHA512") >= 3, "every node authenticates with the strongest SCRAM");
        Cluster.Faults.CommandLog.Start();
        var keys = Enumerable.Range(0, 300).Select(i => $"user::{i}").ToList();
        var stored = await Client.UpsertMultiAsync(keys.ToDictionary(k => k, k => (object?)new { id = k }));
        Assert.True(stored.AllSucceeded);

        var sets = Cluster.Faults.CommandLog.Snapshot().Where(r => r.Opcode == Opcode.Set).ToList();
        Assert.Equal(300, sets.Count);
        Assert.All(sets, r => Assert.Equal(Bucket.ActiveNodeOf(Bucket.VBucketOf(r.Key!)), r.Node));
        Assert.Equal(3, sets.Select(r => r.Node).Distinct().Count());
        Assert.All(keys, k => Assert.NotNull(Bucket.Get(k)));
    }

    [Fact]
    public async Task The_client_exposes_the_newest_map_with_every_views_endpoint()
    {
        var map = await Client.FirstMap;
        Assert.Equal("default", map.Bucket);
        Assert.Equal(3, map.Nodes.Count);
        Assert.Equal(Cluster.Nodes.Select(n => n.ViewsPort).OrderBy(p => p), map.ViewsEndpoints.Select(u => u.Port).OrderBy(p => p));
        Cluster.Faults.Failover(2);
        await Client.GetMultiAsync(Enumerable.Range(0, 50).Select(i => $"k{i}"));
        await AwaitAssertAsync(() => Assert.Equal(2, Client.CurrentMap!.Nodes.Count), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Diagnostics_show_every_node_connected_and_a_node_that_left()
    {
        var before = await Client.DiagnosticsAsync();
        Assert.Equal("default", before.Bucket);
        Assert.True(before.AllNodesConnected, string.Join(", ", before.Nodes));
        Assert.Equal(Cluster.Nodes.Select(n => $"127.0.0.1:{n.KvPort}").OrderBy(a => a), before.Nodes.Select(n => n.Address).OrderBy(a => a));
        Assert.Equal((0, 0, 0), (before.Backlog, before.HeldForMovingVBuckets, before.MovingVBuckets));
        Assert.Null(before.LastBootstrapError);

        Cluster.Faults.Failover(1);
        await Client.GetMultiAsync(Enumerable.Range(0, 50).Select(i => $"d{i}"));
        await AwaitAssertAsync(async () =>
        {
            var after = await Client.DiagnosticsAsync();
            Assert.NotEqual(before.MapRevision, after.MapRevision);
            Assert.DoesNotContain(after.Nodes, n => n.Address == $"127.0.0.1:{Cluster.Nodes[1].KvPort}" && !n.Leaving);
        }, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Locks_are_outcomes_for_other_writers_and_unlock_needs_the_lock_cas()
    {
        var key = "locked-doc";
        await Client.UpsertAsync(key, "v1");
        var locked = await Client.GetAndLockAsync(key, TimeSpan.FromSeconds(10));
        Assert.Equal(("v1", KvOutcome.Success), (locked.ContentAs<string>(), locked.Outcome));
        Assert.Equal(KvOutcome.Locked, (await Client.UpsertAsync(key, "v2")).Outcome);
        Assert.Equal(KvOutcome.Locked, (await Client.GetAndLockAsync(key, TimeSpan.FromSeconds(1))).Outcome);
        Assert.Equal(KvOutcome.CasMismatch, (await Client.UnlockAsync(key, locked.Cas + 1)).Outcome);
        Assert.Equal(KvOutcome.Success, (await Client.UnlockAsync(key, locked.Cas)).Outcome);
        Assert.Equal(KvOutcome.NotLocked, (await Client.UnlockAsync(key, locked.Cas)).Outcome);
        Assert.Equal(KvOutcome.Success, (await Client.UpsertAsync(key, "v2")).Outcome);
    }

    [Fact]
    public async Task Expiry_follows_the_cluster_clock()
    {
        await Client.UpsertAsync("ttl", "soon gone", expiry: TimeSpan.FromSeconds(30));
        await Client.UpsertAsync("kept", "stays");
        await Client.TouchAsync("kept", TimeSpan.FromHours(2));
        Assert.Equal(KvOutcome.Success, (await Client.GetAsync("ttl")).Outcome);
        Cluster.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(KvOutcome.NotFound, (await Client.GetAsync("ttl")).Outcome);
        Assert.Equal("stays", await Client.GetAsync<string>("kept"));
    }

    [Fact]
    public async Task Json_values_carry_the_json_datatype_and_common_flags()
    {
        await Client.UpsertAsync("typed", new { name = "x", n = 1 });
        var stored = Bucket.Get("typed")!;
        Assert.Equal(Akka.Couchbase.Transcoding.CommonFlags.Json, stored.Flags);
        Assert.Equal(DataType.Json, stored.DataType);
    }

    [Fact]
    public async Task Mutation_tokens_come_back_when_the_server_sends_seqnos()
    {
        var result = await Client.UpsertAsync("token", "t");
        Assert.NotNull(result.Token);
        Assert.Equal(Bucket.VBucketOf("token"), result.Token!.VBucket);
    }
}

/// <summary>Bootstrap failures say what was wrong.</summary>
public sealed class BootstrapFailureSpec : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private InProcessCluster _cluster = null!;

    public BootstrapFailureSpec(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync() =>
        _cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions { Users = { ["app"] = "s3cret" } });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private string Hocon(string password, string bucket) =>
        $"servers = [\"127.0.0.1:{_cluster.Nodes[0].KvPort}\"]\nbucket = {bucket}\nusername = app\npassword = \"{password}\"\n";

    [Fact]
    public async Task A_wrong_password_fails_with_an_authentication_error()
    {
        using var spec = new StandaloneClient(Hocon("wrong", "default"), _output);
        var e = await Assert.ThrowsAsync<KvAuthenticationException>(() => spec.Client.ConnectAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("SCRAM-SHA512", e.Message);
        Assert.DoesNotContain("wrong", e.Message);
    }

    [Fact]
    public async Task An_unknown_bucket_is_named_in_the_failure()
    {
        using var spec = new StandaloneClient(Hocon("s3cret", "no-such-bucket"), _output);
        var e = await Assert.ThrowsAsync<KvAuthenticationException>(() => spec.Client.ConnectAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("bucket 'no-such-bucket' does not exist", e.Message);
    }
}
