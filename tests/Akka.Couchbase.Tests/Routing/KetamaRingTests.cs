using System.Text;
using Akka.Couchbase.Routing;
using Xunit;

namespace Akka.Couchbase.Tests.Routing;

/// <summary>The ketama ring of memcached buckets (spec §6.3), checked against the SDK conformance vectors.</summary>
public class KetamaRingTests
{
    private static readonly string[] FourNodes =
    [
        "192.168.1.101:11210", "192.168.1.102:11210", "192.168.1.103:11210", "192.168.1.104:11210",
    ];

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void The_continuum_has_160_points_per_node_in_ascending_order()
    {
        var ring = new KetamaRing(FourNodes);
        var continuum = ring.Continuum;

        Assert.Equal(640, continuum.Count);
        for (var i = 1; i < continuum.Count; i++)
            Assert.True(continuum[i - 1].Point <= continuum[i].Point, $"point {i} is out of order");
        for (var node = 0; node < 4; node++)
            Assert.Equal(160, continuum.Count(p => p.Node == node));
    }

    [Fact]
    public void The_first_point_matches_the_conformance_file()
    {
        var ring = new KetamaRing(FourNodes);

        var (point, node) = ring.Continuum[0];

        Assert.Equal(19069626u, point);
        Assert.Equal("192.168.1.104:11210", FourNodes[node]);
        Assert.Equal(4294628205u, ring.Continuum[^1].Point);
        Assert.Equal("192.168.1.102:11210", FourNodes[ring.Continuum[^1].Node]);
    }

    [Theory]
    [InlineData("foo", "192.168.1.103:11210")]
    [InlineData("hello", "192.168.1.102:11210")]
    [InlineData("user::1", "192.168.1.104:11210")]
    public void Keys_go_to_the_nodes_computed_for_the_spec(string key, string expected)
    {
        var ring = new KetamaRing(FourNodes);

        Assert.Equal(expected, ring.NodeFor(Utf8(key)));
        Assert.Equal(Array.IndexOf(FourNodes, expected), ring.NodeIndexFor(Utf8(key)));
    }

    [Fact]
    public void Node_indices_refer_to_the_list_as_given_not_as_sorted()
    {
        string[] shuffled = [FourNodes[2], FourNodes[0], FourNodes[3], FourNodes[1]];
        var ring = new KetamaRing(shuffled);

        Assert.Equal(19069626u, ring.Continuum[0].Point);
        Assert.Equal(2, ring.Continuum[0].Node); // .104 is third in the shuffled list
        Assert.Equal(0, ring.NodeIndexFor(Utf8("foo"))); // .103
        Assert.Equal(3, ring.NodeIndexFor(Utf8("hello"))); // .102
    }

    [Fact]
    public void A_key_hashing_past_the_last_point_wraps_to_the_first()
    {
        var ring = new KetamaRing(FourNodes);
        var last = ring.Continuum[^1].Point;
        var first = ring.Continuum[0];

        // Find a key whose hash lies beyond the last point; it must map to the owner of the first point.
        string? wrapping = null;
        for (var i = 0; i < 2_000_000 && wrapping is null; i++)
        {
            var candidate = "wrap-" + i;
            var digest = System.Security.Cryptography.MD5.HashData(Utf8(candidate));
            if (BitConverter.ToUInt32(digest, 0) > last) wrapping = candidate;
        }

        Assert.NotNull(wrapping);
        Assert.Equal(first.Node, ring.NodeIndexFor(Utf8(wrapping!)));
    }

    [Fact]
    public void A_single_node_ring_owns_every_key()
    {
        var ring = new KetamaRing(["10.0.0.1:11210"]);

        Assert.Equal(0, ring.NodeIndexFor(Utf8("foo")));
        Assert.Equal("10.0.0.1:11210", ring.NodeFor(Utf8("anything")));
    }

    [Fact]
    public void IPv6_hosts_are_hashed_in_brackets()
    {
        var bracketed = new KetamaRing(["[fd00::1]:11210", "[fd00::2]:11210"]);
        var bare = new KetamaRing(["fd00::1:11210", "fd00::2:11210"]);

        Assert.Equal("[fd00::1]:11210", bare.Nodes[0]);
        Assert.Equal(bracketed.Continuum, bare.Continuum);
    }

    [Fact]
    public void An_empty_node_list_is_refused() =>
        Assert.Throws<ArgumentException>(() => new KetamaRing(Array.Empty<string>()));
}
