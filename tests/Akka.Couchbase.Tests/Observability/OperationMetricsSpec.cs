using Akka.Actor;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Observability;

/// <summary>
/// The <c>Akka.Couchbase</c> meter, read by a <see cref="System.Diagnostics.Metrics.MeterListener"/> while real
/// operations run against the in-process cluster: durations by operation and outcome, connections, bytes, load.
/// </summary>
public sealed class OperationMetricsSpec : ObservedClusterSpec
{
    public OperationMetricsSpec(ITestOutputHelper output) : base("metrics-ops", output) { }

    [Fact]
    public async Task Every_operation_records_its_duration_with_its_name_outcome_bucket_and_node()
    {
        for (var i = 0; i < 5; i++) await Client.UpsertAsync($"m{i}", "v");
        for (var i = 0; i < 3; i++) await Client.GetAsync($"m{i}");
        for (var i = 0; i < 2; i++) await Client.GetAsync($"missing-{i}");

        var durations = Meters.Of("db.client.operation.duration");
        Assert.Equal(5, durations.Count(m => m.Tag("db.operation.name") == "upsert" && m.Tag("couchbase.outcome") == "success"));
        Assert.Equal(3, durations.Count(m => m.Tag("db.operation.name") == "get" && m.Tag("couchbase.outcome") == "success"));
        Assert.Equal(2, durations.Count(m => m.Tag("db.operation.name") == "get" && m.Tag("couchbase.outcome") == "not_found"));
        Assert.Equal(10, durations.Count);
        Assert.All(durations, m =>
        {
            Assert.InRange(m.Value, 1e-7, 10);
            Assert.Equal("couchbase", m.Tag("db.system.name"));
            Assert.Equal("metrics-ops", m.Tag("db.namespace"));
            Assert.Equal("127.0.0.1", m.Tag("server.address"));
            Assert.Contains(m.Tag("server.port"), KvPorts);
            Assert.Null(m.Tag("error.type"));
        });
    }

    [Fact]
    public async Task Connections_bytes_and_per_node_load_are_measured()
    {
        await AwaitAssertAsync(() => Assert.Equal(3, Meters.Sum("couchbase.connections.opened")), TimeSpan.FromSeconds(10));
        Assert.Equal(KvPorts.OrderBy(p => p), Meters.Of("couchbase.connections.opened").Select(m => m.Tag("server.port")).OrderBy(p => p));
        Assert.Equal(0, Meters.Sum("couchbase.connections.failed"));

        var written = Meters.Sum("couchbase.kv.bytes_written");
        var read = Meters.Sum("couchbase.kv.bytes_read");
        var value = new string('x', 10_000);
        await Client.UpsertAsync("big", value);
        await Client.GetAsync("big");
        Assert.InRange(Meters.Sum("couchbase.kv.bytes_written") - written, 10_000 + 2 * 24, 11_000); // the value once, two headers
        Assert.InRange(Meters.Sum("couchbase.kv.bytes_read") - read, 10_000 + 2 * 24, 11_000);

        Meters.CollectGauges();
        var inFlight = Meters.Of("couchbase.kv.in_flight");
        var queued = Meters.Of("couchbase.kv.queued");
        Assert.Equal(KvPorts.OrderBy(p => p), inFlight.Select(m => m.Tag("server.port")).OrderBy(p => p));
        Assert.Equal(KvPorts.OrderBy(p => p), queued.Select(m => m.Tag("server.port")).OrderBy(p => p));
        Assert.All(inFlight.Concat(queued), m => Assert.Equal(0, m.Value)); // nothing is under way now
    }

    [Fact]
    public async Task A_timeout_is_counted_and_its_duration_carries_the_error_type()
    {
        using var swallow = Cluster.Faults.Swallow(keyPattern: "^lost$");
        await Assert.ThrowsAsync<KvTimeoutException>(() =>
            Couchbase.Supervisor.Ask<MutationResult>(new Kv.Upsert("lost", "v") { Timeout = TimeSpan.FromMilliseconds(200) },
                TimeSpan.FromSeconds(5)));

        var timeout = Assert.Single(Meters.Of("couchbase.operations.timeouts"));
        Assert.Equal(("upsert", 1.0), (timeout.Tag("db.operation.name"), timeout.Value));
        var failed = Assert.Single(Meters.Of("db.client.operation.duration"), m => m.Tag("couchbase.outcome") == "error");
        Assert.Equal(typeof(KvTimeoutException).FullName, failed.Tag("error.type"));
        Assert.InRange(failed.Value, 0.2, 5);
    }

    [Fact]
    public async Task A_mutation_written_to_a_connection_that_is_lost_is_counted_as_ambiguous()
    {
        await Client.UpsertAsync("before", "v"); // every connection is up
        using var swallow = Cluster.Faults.Swallow(keyPattern: "^cut$");
        var upsert = Client.UpsertAsync("cut", "v");
        await AwaitAssertAsync(() => // written, and not answered
        {
            Meters.CollectGauges();
            Assert.Equal(1, Meters.Of("couchbase.kv.in_flight").TakeLast(3).Sum(m => m.Value));
        }, TimeSpan.FromSeconds(5));
        for (var node = 0; node < Cluster.Nodes.Count; node++) Cluster.Faults.DropConnections(node);

        await Assert.ThrowsAsync<KvAmbiguousException>(() => upsert);
        var ambiguous = Assert.Single(Meters.Of("couchbase.operations.ambiguous"));
        Assert.Equal("upsert", ambiguous.Tag("db.operation.name"));
        await AwaitAssertAsync(() => Assert.True(Meters.Sum("couchbase.connections.closed") >= 3), TimeSpan.FromSeconds(10));
        await AwaitAssertAsync(() => Assert.True(Meters.Sum("couchbase.connections.reconnects") >= 3), TimeSpan.FromSeconds(10));
    }
}
