using System.Text;
using Akka.Couchbase.TestKit.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.TestKit.Tests.Interop;

/// <summary>
/// libcouchbase's <c>cbc</c> (a client no one here wrote) with scopes and collections: it reads the manifest
/// (GET_COLLECTIONS_MANIFEST) and ids (GET_COLLECTION_ID, the path in the value), and writes and reads documents of a
/// named collection (<c>--scope</c> / <c>--collection</c>: the id in front of the key).
/// </summary>
public sealed class CbcCollectionsTests : ClusterTestBase
{
    private readonly ITestOutputHelper _output;

    public CbcCollectionsTests(ITestOutputHelper output) => _output = output;

    private string Url => $"couchbase://127.0.0.1:{Cluster.Nodes[0].KvPort}/default";

    private async Task<(int ExitCode, string Output)> CbcAsync(params string[] arguments)
    {
        var result = await Libcouchbase.CbcAsync(arguments.Concat(new[] { "-U", Url, "-u", "Administrator", "-P", "password" }).ToArray());
        _output.WriteLine($"cbc {string.Join(' ', arguments)} -> {result.ExitCode}\n{result.Output}");
        return result;
    }

    private void CreateAirline()
    {
        Default.Collections.CreateScope("inventory");
        Default.Collections.CreateCollection("inventory", "airline");
    }

    [CbcFact]
    public async Task Cbc_reads_the_manifest_and_collection_ids()
    {
        CreateAirline();
        var (exit, manifest) = await CbcAsync("collection-manifest");
        Assert.True(exit == 0, manifest);
        Assert.Contains("{\"collections\":[{\"name\":\"airline\",\"uid\":\"a\"}],\"name\":\"inventory\",\"uid\":\"9\"}", manifest);
        var (idExit, ids) = await CbcAsync("collection-id", "--scope", "inventory", "airline");
        Assert.True(idExit == 0, ids);
        Assert.Contains("ManifestId=0x03, CollectionId=0x0a", ids);
    }

    [CbcFact]
    public async Task Cbc_writes_and_reads_a_named_collection_apart_from_the_default_one()
    {
        CreateAirline();
        var (created, output) = await CbcAsync("create", "cbc::airline", "-V", "{\"via\":\"cbc\"}", "--scope", "inventory", "--collection", "airline");
        Assert.True(created == 0, output);
        Assert.Contains("Stored.", output);
        Assert.Equal("{\"via\":\"cbc\"}", Encoding.UTF8.GetString(Default.Collection("inventory", "airline").Get("cbc::airline")!.Value));
        Assert.Null(Default.Get("cbc::airline"));
        var (_, cat) = await CbcAsync("cat", "cbc::airline", "--scope", "inventory", "--collection", "airline");
        Assert.Contains("{\"via\":\"cbc\"}", cat);
        var (_, missing) = await CbcAsync("cat", "cbc::airline");
        Assert.Contains("LCB_ERR_DOCUMENT_NOT_FOUND", missing);
    }
}
