using Akka.Couchbase.Protocol;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>
/// Nodes that do not serve the cluster map on the KV port (GET_CLUSTER_CONFIG answers NOT_SUPPORTED, and
/// NOT_MY_VBUCKET carries no map): the client streams the map from the cluster manager over HTTP, routes with it,
/// and follows the changes pushed there. Run over plain HTTP (<see cref="HttpBootstrapSpec"/>) and over HTTPS to
/// the cluster manager's TLS ports (<see cref="HttpBootstrapOverTlsSpec"/>).
/// </summary>
public abstract class HttpBootstrapContract : EmbeddedClusterSpec
{
    protected HttpBootstrapContract(ITestOutputHelper output, bool tls) : base(output, "operation-timeout = 10s\n", tls: tls)
    {
        Cluster.Faults.SetCccp(false); // before the client connects (InitializeAsync)
    }

    [Fact]
    public async Task Without_a_map_on_the_KV_port_the_client_bootstraps_from_the_HTTP_stream()
    {
        Cluster.Faults.CommandLog.Start();
        for (var i = 0; i < 60; i++) await Client.UpsertAsync($"http::{i}", i);
        for (var i = 0; i < 60; i++) Assert.Equal(i, await Client.GetAsync<int>($"http::{i}"));

        var diagnostics = await Client.DiagnosticsAsync();
        Assert.NotNull(diagnostics.MapRevision);
        Assert.Equal(3, diagnostics.Nodes.Count(n => n.Connected));
        // Every command went straight to its key's owner: with a wrong map some would have been refused and sent
        // again, and the nodes would have seen more than 120.
        var log = Cluster.Faults.CommandLog.Snapshot();
        Assert.Equal(120, log.Count(r => r.Key?.StartsWith("http::") == true && r.Opcode is Opcode.Set or Opcode.Get));
        Assert.All(log.Where(r => r.Key?.StartsWith("http::") == true),
            r => Assert.Equal(Bucket.ActiveNodeOf(Bucket.VBucketOf(r.Key!)), r.Node));
    }

    [Fact]
    public async Task A_failover_pushed_over_HTTP_is_followed_without_a_map_from_any_node()
    {
        var keys = Enumerable.Range(0, 60).Select(i => $"http-failover::{i}").ToList();
        foreach (var key in keys) await Client.UpsertAsync(key, "before");
        var maps = CreateTestProbe();
        Sys.EventStream.Subscribe(maps.Ref, typeof(ClusterMapChanged));

        Cluster.Faults.Failover(2);
        await Cluster.Faults.StopNodeAsync(2);

        var changed = await maps.ExpectMsgAsync<ClusterMapChanged>(TimeSpan.FromSeconds(10));
        Assert.Equal(2, changed.Nodes.Count);
        foreach (var key in keys) Assert.Equal(KvOutcome.Success, (await Client.UpsertAsync(key, "after")).Outcome);
        foreach (var key in keys) Assert.Equal("after", await Client.GetAsync<string>(key));
    }
}
