using Akka.Couchbase.Routing;
using Xunit;

namespace Akka.Couchbase.Tests.Routing;

/// <summary>Cluster map versions order by epoch, then revision (spec §8.2).</summary>
public class ConfigVersionOrderingTests
{
    [Fact]
    public void A_higher_revision_in_the_same_epoch_is_newer()
    {
        Assert.True(new ConfigVersion(1, 1343) > new ConfigVersion(1, 1342));
        Assert.True(new ConfigVersion(1, 1343).IsNewerThan(new ConfigVersion(1, 1342)));
        Assert.False(new ConfigVersion(1, 1342).IsNewerThan(new ConfigVersion(1, 1343)));
    }

    [Fact]
    public void A_higher_epoch_wins_over_any_revision()
    {
        Assert.True(new ConfigVersion(2, 1) > new ConfigVersion(1, 999_999));
        Assert.True(new ConfigVersion(1, 1) > new ConfigVersion(0, 5000));
    }

    [Fact]
    public void An_equal_version_is_not_newer()
    {
        var a = new ConfigVersion(1, 1342);
        var b = new ConfigVersion(1, 1342);

        Assert.Equal(a, b);
        Assert.Equal(0, a.CompareTo(b));
        Assert.False(a.IsNewerThan(b));
        Assert.True(a >= b && a <= b);
    }

    [Fact]
    public void None_is_older_than_every_parsed_version()
    {
        Assert.True(new ConfigVersion(0, 0) > ConfigVersion.None);
        Assert.True(new ConfigVersion(0, -1) > ConfigVersion.None);
    }

    [Fact]
    public void Sorting_orders_by_epoch_then_revision()
    {
        var versions = new[] { new ConfigVersion(2, 1), new ConfigVersion(0, 7), new ConfigVersion(1, 9), new ConfigVersion(1, 2) };

        Array.Sort(versions);

        Assert.Equal([new(0, 7), new(1, 2), new(1, 9), new(2, 1)], versions);
    }

    [Fact]
    public void A_map_without_revEpoch_has_epoch_zero()
    {
        var config = ClusterConfig.Parse(ClusterMapSamples.SingleNodeWithDollarHost, "127.0.0.1");

        Assert.Equal(new ConfigVersion(0, 17), config.Version);
        Assert.True(ClusterConfig.Parse(ClusterMapSamples.ThreeNodes, "x").Version > config.Version);
    }
}
