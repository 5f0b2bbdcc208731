using System.Diagnostics;
using Akka.Configuration;
using Akka.Couchbase.TestKit;
using Akka.Couchbase.TestKit.Cluster;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.OpenTelemetry.Tests;

/// <summary>
/// The OpenTelemetry SDK, given only <c>AddCouchbaseInstrumentation()</c> and its in-memory exporters, finds the
/// metrics and spans of real operations against a 3-node in-process cluster, a failover included.
/// </summary>
public sealed class OpenTelemetryExportSpec : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private const string Bucket = "otel";
    private readonly InProcessCluster _cluster;
    private readonly List<MetricSnapshot> _metrics = new();
    private readonly List<Activity> _spans = new();
    private readonly MeterProvider _meterProvider;
    private readonly TracerProvider _tracerProvider;

    public OpenTelemetryExportSpec(ITestOutputHelper output) : this(StartCluster(), output) { }

    private OpenTelemetryExportSpec(InProcessCluster cluster, ITestOutputHelper output)
        : base(ConfigurationFactory.ParseString(
            $"akka.couchbase {{ servers = [{string.Join(",", cluster.Nodes.Select(n => $"\"127.0.0.1:{n.KvPort}\""))}]\n" +
            $"bucket = {Bucket}\nusername = app\npassword = s3cret\nreconnect-min-backoff = 50ms\n }}"), output: output)
    {
        _cluster = cluster;
        _meterProvider = Sdk.CreateMeterProviderBuilder().AddCouchbaseInstrumentation().AddInMemoryExporter(_metrics).Build();
        _tracerProvider = Sdk.CreateTracerProviderBuilder().AddCouchbaseInstrumentation().AddInMemoryExporter(_spans).Build();
    }

    private static InProcessCluster StartCluster() =>
        InProcessCluster.StartAsync(new InProcessClusterOptions
        {
            Nodes = 3,
            Buckets = { new BucketDefinition(Bucket, BucketType.Couchbase, VBuckets: 64, Replicas: 1) },
            Users = { ["app"] = "s3cret" },
        }).GetAwaiter().GetResult();

    private CouchbaseClient Client => CouchbaseExtension.Get(Sys).Client;

    public async Task InitializeAsync() => await Client.ConnectAsync(TimeSpan.FromSeconds(20));

    public async Task DisposeAsync()
    {
        _meterProvider.Dispose();
        _tracerProvider.Dispose();
        await _cluster.DisposeAsync();
    }

    /// <summary>The points of <paramref name="name"/> of this spec's bucket, as exported by one flush.</summary>
    private List<MetricPoint> Points(string name)
    {
        _metrics.Clear();
        _meterProvider.ForceFlush();
        var points = new List<MetricPoint>();
        foreach (var metric in _metrics.Where(m => m.Name == name))
        foreach (var point in metric.MetricPoints)
            if (Tag(point, "db.namespace") == Bucket) points.Add(point);
        return points;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
            if (tag.Key == key) return tag.Value?.ToString();
        return null;
    }

    private List<Activity> Spans(string operation)
    {
        _tracerProvider.ForceFlush();
        return _spans.Where(s => s.GetTagItem("db.namespace") as string == Bucket &&
                                 s.GetTagItem("db.operation.name") as string == operation).ToList();
    }

    [Fact]
    public async Task Metrics_and_spans_of_real_operations_and_a_failover_reach_the_exporters()
    {
        for (var i = 0; i < 10; i++) await Client.UpsertAsync($"doc-{i}", i);
        for (var i = 0; i < 10; i++) await Client.GetAsync($"doc-{i}");
        var revisionsBefore = Points("couchbase.cluster_map.revisions").Sum(p => p.GetSumLong());
        Assert.True(revisionsBefore >= 1);

        _cluster.Faults.Failover(2);
        await AwaitAssertAsync(() => Assert.Equal(2, Client.CurrentMap!.Nodes.Count), TimeSpan.FromSeconds(10));
        var after = await Client.GetMultiAsync(Enumerable.Range(0, 10).Select(i => $"doc-{i}"));
        Assert.True(after.AllSucceeded);

        var durations = Points("db.client.operation.duration");
        long Count(string operation) => durations.Where(p => Tag(p, "db.operation.name") == operation).Sum(p => p.GetHistogramCount());
        Assert.Equal(10, Count("upsert"));
        Assert.Equal(20, Count("get"));
        Assert.All(durations, p => Assert.True(p.GetHistogramSum() > 0));
        Assert.All(durations, p => Assert.Equal("couchbase", Tag(p, "db.system.name")));
        Assert.True(Points("couchbase.cluster_map.revisions").Sum(p => p.GetSumLong()) > revisionsBefore);
        Assert.Equal(3, Points("couchbase.connections.opened").Sum(p => p.GetSumLong()));
        Assert.True(Points("couchbase.kv.bytes_written").Sum(p => p.GetSumLong()) > 0);
        Assert.NotEmpty(Points("couchbase.kv.in_flight"));

        Assert.Equal(10, Spans("upsert").Count);
        var gets = Spans("get");
        Assert.Equal(20, gets.Count);
        var failedPort = _cluster.Nodes[2].KvPort.ToString();
        var afterFailover = gets.Skip(10).ToList();
        Assert.All(afterFailover, s => Assert.Equal("success", s.GetTagItem("couchbase.outcome")));
        Assert.DoesNotContain(afterFailover, s => s.GetTagItem("server.port")?.ToString() == failedPort &&
                                                  s.GetTagItem("couchbase.retry_reasons") is null);
        Assert.All(gets, s => Assert.Equal(ActivityKind.Client, s.Kind));
    }
}
