using Akka.Couchbase.TestKit.Data;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.TestKit.Tests.Interop;

/// <summary>
/// Couchbase's own Node.js SDK (npm <c>couchbase</c>, C++ core) against an in-process 3-node cluster: runs
/// <c>tests/interop/nodejs/interop.js</c> over <c>couchbase://</c> (SCRAM) and over <c>couchbases://</c> with the
/// generated CA (PLAIN inside TLS), and fails on any step it reports as a mismatch; with an unrelated CA as its trust
/// store the SDK must not get in.
/// </summary>
public sealed class NodeJsSdkTests
{
    private readonly ITestOutputHelper _output;

    public NodeJsSdkTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Node_sdk_crud_errors_counter_touch_lock_collections_and_view_query()
    {
        var script = await NodeInteropScript.LocateAsync();
        await using var cluster = await StartAsync(tls: false);
        var output = await RunAllStepsAsync(script, cluster, cluster.ConnectionString, new Dictionary<string, string>
        {
            ["CB_MGMT_URL"] = $"http://127.0.0.1:{cluster.Nodes[0].MgmtPort}",
        });
        Assert.Contains("\"step\":\"view-brewery_beers-limit-5\",\"ok\":true", output);
        Assert.True(cluster.SuccessfulAuthentications.Keys.Any(m => m.StartsWith("SCRAM-", StringComparison.Ordinal)),
            "the SDK should have authenticated with SCRAM; saw: " + string.Join(",", cluster.SuccessfulAuthentications.Keys));
    }

    [Fact]
    public async Task Node_sdk_over_tls_with_the_cluster_ca_runs_every_step()
    {
        var script = await NodeInteropScript.LocateAsync();
        await using var cluster = await StartAsync(tls: true);
        var output = await RunAllStepsAsync(script, cluster, cluster.Tls.ConnectionString, new Dictionary<string, string>
        {
            ["CB_TRUST_STORE"] = cluster.Tls.CaCertificatePath,
            ["CB_MGMT_URL"] = $"https://127.0.0.1:{cluster.Nodes[0].MgmtTlsPort}",
        });
        Assert.Contains("\"step\":\"view-brewery_beers-limit-5\",\"ok\":true", output);
        // the SDK went through the TLS ports for KV, views and (the script's failover call) REST, and over TLS the
        // SDKs send PLAIN
        var handshakes = cluster.Tls.Handshakes;
        Assert.True(handshakes.Kv > 0 && handshakes.Views > 0 && handshakes.Mgmt > 0, "handshakes: " + handshakes);
        Assert.True(cluster.SuccessfulAuthentications.GetValueOrDefault("PLAIN") > 0,
            "the SDK should have authenticated with PLAIN over TLS; saw: " + string.Join(",", cluster.SuccessfulAuthentications.Keys));
        Assert.False(cluster.SuccessfulAuthentications.Keys.Any(m => m.StartsWith("SCRAM-", StringComparison.Ordinal)),
            "a SCRAM login means the SDK also used a plain port");
    }

    [Fact]
    public async Task Node_sdk_trusting_an_unrelated_ca_is_refused()
    {
        var script = await NodeInteropScript.LocateAsync();
        await using var cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions { Nodes = 3, Tls = true });
        var (exit, output, errors) = await script.RunAsync(new Dictionary<string, string>
        {
            ["CB_CONNSTR"] = cluster.Tls.ConnectionString,
            ["CB_TRUST_STORE"] = cluster.Tls.UnrelatedCaCertificatePath,
            ["CB_EXPECT_REFUSAL"] = "1",
        });
        Log(output, errors);
        Assert.Contains("\"step\":\"refused-untrusted-server\",\"ok\":true", output);
        Assert.Equal(0, exit);
        Assert.Empty(cluster.SuccessfulAuthentications);
        Assert.True(cluster.Tls.Handshakes.Failed > 0, "the SDK should have aborted handshakes: " + cluster.Tls.Handshakes);
        Assert.Equal(0, cluster.Tls.Handshakes.Kv);
    }

    private static async Task<InProcessCluster> StartAsync(bool tls)
    {
        var zip = BeerSample.TryLocateZip() ?? throw NodeInteropScript.Missing("shared/data/beer-sample.zip not found (the view step needs it)");
        return await BeerSample.StartClusterAsync(zip, new InProcessClusterOptions
        {
            Nodes = 3,
            Tls = tls,
            Buckets =
            {
                new BucketDefinition("default", BucketType.Couchbase, VBuckets: 64, Replicas: 1),
                new BucketDefinition(BeerSample.BucketName, BucketType.Couchbase, VBuckets: 64, Replicas: 1),
            },
            Users = { ["Administrator"] = "password" },
        });
    }

    /// <summary>Runs every step against <paramref name="connectionString"/> and checks none failed; returns the output.</summary>
    private async Task<string> RunAllStepsAsync(NodeInteropScript script, InProcessCluster cluster, string connectionString,
        Dictionary<string, string> environment)
    {
        environment["CB_CONNSTR"] = connectionString;
        environment["CB_USERNAME"] = "Administrator";
        environment["CB_PASSWORD"] = "password";
        environment["CB_BUCKET"] = "default";
        environment["CB_VIEW_BUCKET"] = "beer-sample";
        var (exit, output, errors) = await script.RunAsync(environment);
        Log(output, errors);
        var failed = output.Split('\n').Where(l => l.Contains("\"ok\":false", StringComparison.Ordinal)).ToList();
        Assert.True(failed.Count == 0, "steps failed:\n" + string.Join("\n", failed));
        Assert.Equal(0, exit);
        Assert.Contains("\"step\":\"failover-node-2-then-read-and-write\",\"ok\":true", output);
        Assert.False(cluster.Nodes[2].InCluster);
        // scopes and collections through the SDK's collection manager: created, used, dropped (four changes)
        Assert.Contains("\"step\":\"collection-crud\",\"ok\":true", output);
        Assert.Contains("\"step\":\"collection-dropped\",\"ok\":true", output);
        Assert.Equal(5UL, cluster.Bucket("default").Collections.ManifestUid);
        return output;
    }

    private void Log(string output, string errors)
    {
        _output.WriteLine(output);
        if (errors.Length > 0) _output.WriteLine("stderr:\n" + errors);
    }
}
