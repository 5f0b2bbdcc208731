using Akka.Couchbase.Discovery;
using Xunit;

namespace Akka.Couchbase.Tests.Discovery;

/// <summary>The order SRV targets become seeds in: priority (lowest first), then weight (highest first), then as answered.</summary>
public sealed class SrvOrderTests
{
    private static SrvTarget T(string host, int priority, int weight, int port = 11210) => new(host, port, priority, weight);

    private static string[] Hosts(IEnumerable<SrvTarget> targets) => targets.Select(t => t.Host).ToArray();

    [Fact]
    public void Lower_priority_comes_first_whatever_the_weight()
    {
        var sorted = SrvOrder.Sort(new[] { T("backup", 20, 100), T("main", 10, 0), T("last", 30, 50) });
        Assert.Equal(new[] { "main", "backup", "last" }, Hosts(sorted));
    }

    [Fact]
    public void Within_one_priority_heavier_weight_comes_first()
    {
        var sorted = SrvOrder.Sort(new[] { T("light", 10, 5), T("heavy", 10, 60), T("middle", 10, 30), T("other", 5, 1) });
        Assert.Equal(new[] { "other", "heavy", "middle", "light" }, Hosts(sorted));
    }

    [Fact]
    public void Equal_priority_and_weight_keep_the_answers_order()
    {
        // Couchbase documents priority 0 and weight 0 for every record: the seeds are then as the name server answered.
        var sorted = SrvOrder.Sort(new[] { T("cb3", 0, 0), T("cb1", 0, 0), T("cb2", 0, 0) });
        Assert.Equal(new[] { "cb3", "cb1", "cb2" }, Hosts(sorted));
    }

    [Fact]
    public void The_same_host_and_port_twice_is_one_seed_at_its_first_place()
    {
        var sorted = SrvOrder.Sort(new[] { T("cb1", 0, 0), T("CB1", 5, 0), T("cb1", 0, 0, port: 11207), T("cb2", 1, 0) });
        Assert.Equal(new[] { ("cb1", 11210), ("cb1", 11207), ("cb2", 11210) }, sorted.Select(t => t.Seed).ToArray());
    }
}
