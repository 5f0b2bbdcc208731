using Akka.Actor;
using Akka.Event;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Observability;

/// <summary>
/// The slow-operation and orphan reports, logged every <c>threshold-interval</c> as one JSON line each, for
/// operations the in-process cluster made slow by stalling its responses (a hiccup).
/// </summary>
public sealed class SlowOperationReportSpec : ObservedClusterSpec
{
    public SlowOperationReportSpec(ITestOutputHelper output)
        : base("slow-reports", output, "observability { threshold-interval = 300ms, kv-threshold = 150ms }\n", nodes: 1)
    {
    }

    private JObject NextReport(Akka.TestKit.TestProbe probe, string prefix)
    {
        var warning = (Warning)probe.FishForMessage(m => m is Warning w && w.Message.ToString()!.StartsWith(prefix),
            TimeSpan.FromSeconds(10));
        var line = warning.Message.ToString()!;
        Output.WriteLine(line);
        return JObject.Parse(line.Substring(prefix.Length));
    }

    private Akka.TestKit.TestProbe Warnings()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(Warning));
        return probe;
    }

    [Fact]
    public async Task An_operation_over_the_kv_threshold_is_logged_with_its_timings()
    {
        var warnings = Warnings();
        await Client.UpsertAsync("fast", "v"); // under the threshold: not reported
        Cluster.Faults.Hiccup(0, TimeSpan.FromMilliseconds(400));
        await Client.UpsertAsync("slow", "v");

        var kv = NextReport(warnings, "Slow operations: ")["kv"]!;
        Assert.Equal(1, (int)kv["total_count"]!);
        var entry = Assert.Single((JArray)kv["top_requests"]!);
        Assert.Equal("upsert", (string)entry["operation_name"]!);
        var total = (long)entry["total_duration_us"]!;
        Assert.InRange(total, 150_000, 10_000_000);
        Assert.InRange((long)entry["queued_duration_us"]!, 0, total);
        Assert.InRange((long)entry["last_dispatch_duration_us"]!, 150_000, total);
        Assert.InRange((long)entry["last_server_duration_us"]!, 0, total);
        Assert.Equal($"127.0.0.1:{Cluster.Nodes[0].KvPort}", (string)entry["last_remote_socket"]!);
        Assert.NotNull((string?)entry["last_local_id"]);
        Assert.StartsWith("0x", (string)entry["operation_id"]!);
        Assert.Equal(2500, (long)entry["timeout_ms"]!);
    }

    [Fact]
    public async Task A_response_that_arrives_after_its_operation_timed_out_is_logged_as_orphaned()
    {
        var warnings = Warnings();
        await Client.UpsertAsync("late", "v");
        Cluster.Faults.Hiccup(0, TimeSpan.FromMilliseconds(600));
        await Assert.ThrowsAsync<KvTimeoutException>(() =>
            Couchbase.Supervisor.Ask<GetResult>(new Kv.Get("late") { Timeout = TimeSpan.FromMilliseconds(200) }, TimeSpan.FromSeconds(5)));

        var kv = NextReport(warnings, "Orphaned responses: ")["kv"]!;
        Assert.Equal(1, (int)kv["total_count"]!);
        var entry = Assert.Single((JArray)kv["top_requests"]!);
        Assert.Equal("get", (string)entry["operation_name"]!);
        Assert.Equal(200, (long)entry["timeout_ms"]!);
        Assert.InRange((long)entry["total_duration_us"]!, 200_000, 10_000_000);
        Assert.True(entry["last_server_duration_us"] is not null);
        Assert.Equal($"127.0.0.1:{Cluster.Nodes[0].KvPort}", (string)entry["last_remote_socket"]!);
        var orphan = Assert.Single(Meters.Of("couchbase.kv.orphaned_responses"));
        Assert.Equal("get", orphan.Tag("db.operation.name"));
    }
}
