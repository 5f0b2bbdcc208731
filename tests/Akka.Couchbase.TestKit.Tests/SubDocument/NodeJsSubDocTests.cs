using Akka.Couchbase.TestKit.Tests.Interop;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.TestKit.Tests.SubDocument;

/// <summary>
/// Couchbase's own Node.js SDK runs <c>tests/interop/nodejs/subdoc.js</c> against an in-process 3-node cluster:
/// lookupIn and mutateIn with several specs (get, exists, count, upsert, insert, arrayAppend, arrayAddUnique,
/// increment, remove), an xattr, macros, <c>$document</c>, store semantics and get with expiry, each checked against
/// what the SDK documents for a real server.
/// </summary>
public sealed class NodeJsSubDocTests
{
    private static readonly string[] Steps =
    {
        "subdoc-lookupIn-get-exists-count-xattr-and-a-missing-path",
        "subdoc-mutateIn-upsert-insert-arrayAppend-increment-remove",
        "subdoc-mutateIn-path-exists-fails-the-whole-request",
        "subdoc-mutateIn-stale-cas-and-missing-document",
        "subdoc-store-semantics-upsert-and-insert-documents",
        "subdoc-get-withExpiry-and-mutateIn-expiry",
        "subdoc-macros-and-document-virtual-xattr",
    };

    private readonly ITestOutputHelper _output;

    public NodeJsSubDocTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Node_sdk_lookupIn_and_mutateIn_behave_as_on_a_real_server()
    {
        var script = await NodeInteropScript.LocateAsync("subdoc.js");
        await using var cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions
        {
            Nodes = 3,
            Buckets = { new BucketDefinition("default", BucketType.Couchbase, VBuckets: 64, Replicas: 1) },
            Users = { ["Administrator"] = "password" },
        });
        var (exit, output, errors) = await script.RunAsync(new Dictionary<string, string>
        {
            ["CB_CONNSTR"] = cluster.ConnectionString,
            ["CB_USERNAME"] = "Administrator",
            ["CB_PASSWORD"] = "password",
            ["CB_BUCKET"] = "default",
        });
        _output.WriteLine(output);
        if (errors.Length > 0) _output.WriteLine("stderr:\n" + errors);
        var failed = output.Split('\n').Where(l => l.Contains("\"ok\":false", StringComparison.Ordinal)).ToList();
        Assert.True(failed.Count == 0, "steps failed:\n" + string.Join("\n", failed));
        foreach (var step in Steps) Assert.Contains($"\"step\":\"{step}\",\"ok\":true", output);
        Assert.Equal(0, exit);
    }
}
