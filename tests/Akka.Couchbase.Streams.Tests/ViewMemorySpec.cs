using Akka.Configuration;
using Akka.Couchbase.Streams.Dsl;
using Akka.Couchbase.Streams.Views;
using Akka.Couchbase.TestKit;
using Newtonsoft.Json;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Streams.Tests;

/// <summary>Measurements that read the process's memory: they run alone, after the specs that run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "memory measurements";
}

/// <summary>
/// <c>QueryAllAsync</c> keeps a view's rows in about the memory they take on the wire: measured as the memory still
/// held, after a full collection, by the result of a query of small rows (each ~50 bytes of JSON).
/// </summary>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class ViewMemorySpec : IAsyncLifetime
{
    private const int Rows = 40_000;
    private readonly ITestOutputHelper _output;
    private InProcessCluster _cluster = null!;

    public ViewMemorySpec(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync()
    {
        _cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions { Nodes = 1, Users = { ["reader"] = "view-pass" } });
        var bucket = _cluster.Bucket("default");
        for (var i = 0; i < Rows; i++) bucket.Upsert($"doc{i:D6}", "{}"u8);
        _cluster.DesignDocuments.Put("default", "ids", "{\"views\":{\"all\":{\"map\":\"function (doc, meta) { emit(meta.id, null); }\"}}}");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Query_all_keeps_at_most_three_times_the_wire_size_per_row()
    {
        var hocon = $"akka.couchbase {{ servers = [\"127.0.0.1:{_cluster.Nodes[0].KvPort}\"], bucket = default, username = reader, password = view-pass }}";
        using var system = Akka.Actor.ActorSystem.Create("views-memory", ConfigurationFactory.ParseString(hocon));
        try
        {
            var client = CouchbaseExtension.Get(system).Client;
            var query = new ViewQuery("ids", "all");
            await client.QueryAllAsync(system, query with { Limit = 10 }); // the index, the connection, the JIT: all warm

            var before = GC.GetTotalMemory(forceFullCollection: true);
            var result = await client.QueryAllAsync(system, query);
            var after = GC.GetTotalMemory(forceFullCollection: true);

            Assert.Equal(Rows, result.Rows.Count);
            var wire = result.Rows.Sum(r =>
                ("{\"id\":" + JsonConvert.ToString(r.Id) + ",\"key\":" + r.KeyJson + ",\"value\":" + r.ValueJson + "}").Length);
            var perRow = (double)(after - before) / Rows;
            var wirePerRow = (double)wire / Rows;
            _output.WriteLine($"{perRow:F0} B held per row for {wirePerRow:F0} B on the wire ({perRow / wirePerRow:F1}x)");
            Assert.Equal("ViewRow(key=\"doc000000\", value=null, docid=doc000000)", result.Rows[0].ToString());
            Assert.True(perRow <= 3 * wirePerRow, $"{perRow:F0} B held per row for {wirePerRow:F0} B on the wire");
            GC.KeepAlive(result);
        }
        finally
        {
            await system.Terminate();
        }
    }
}
