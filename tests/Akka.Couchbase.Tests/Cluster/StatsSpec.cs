using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>Kv.Stats (the original's stats()) asks every node of the map and answers by node.</summary>
public sealed class StatsSpec : EmbeddedClusterSpec
{
    public StatsSpec(ITestOutputHelper output) : base(output) { }

    [Fact]
    public async Task Stats_are_gathered_from_every_node_of_the_map()
    {
        var stats = await Client.StatsAsync();
        Assert.Empty(stats.Failures);
        Assert.Equal(Cluster.Nodes.Select(n => $"127.0.0.1:{n.KvPort}").OrderBy(a => a), stats.Nodes.Keys.OrderBy(a => a));
        Assert.All(stats.Nodes.Values, s => Assert.True(s.ContainsKey("curr_items")));
    }
}
