using System.Diagnostics;
using Akka.Actor;
using Akka.Couchbase.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Observability;

/// <summary>
/// Spans of the <c>Akka.Couchbase</c> activity source for real operations against the in-process cluster: one per
/// operation, its attributes, its parent (the Task caller's activity, or the command's explicit parent).
/// </summary>
public sealed class OperationSpansSpec : ObservedClusterSpec
{
    private readonly SpanCapture _spans;

    public OperationSpansSpec(ITestOutputHelper output) : base("spans-ops", output) => _spans = new SpanCapture("spans-ops");

    protected override void AfterAll()
    {
        _spans.Dispose();
        base.AfterAll();
    }

    [Fact]
    public async Task A_task_call_makes_one_span_under_the_callers_activity_with_the_database_attributes()
    {
        using var caller = new Activity("caller").Start();
        await Client.UpsertAsync("span-key", "v");
        Assert.Same(caller, Activity.Current); // the client left the caller's context as it was
        caller.Stop();

        var span = Assert.Single(_spans.Named("upsert"));
        Assert.Equal(caller.TraceId, span.TraceId);
        Assert.Equal(caller.SpanId, span.ParentSpanId);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("upsert spans-ops", span.DisplayName);
        Assert.Equal("couchbase", span.GetTagItem("db.system.name"));
        Assert.Equal("spans-ops", span.GetTagItem("db.namespace"));
        Assert.Equal("kv", span.GetTagItem("couchbase.service"));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.Contains(span.GetTagItem("server.port")?.ToString(), KvPorts);
        Assert.Equal(Akka.Couchbase.Routing.VBucketHasher.VBucketOf("span-key"u8, 64), span.GetTagItem("couchbase.vbucket"));
        Assert.Equal(1, span.GetTagItem("couchbase.attempts"));
        Assert.Equal("success", span.GetTagItem("couchbase.outcome"));
        Assert.Null(span.GetTagItem("error.type"));
        Assert.True(span.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_told_command_makes_its_span_a_child_of_the_explicit_parent_it_carries()
    {
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var reply = await Couchbase.Supervisor.Ask<GetResult>(new Kv.Get("no-such-key") { TraceParent = parent }, TimeSpan.FromSeconds(5));
        Assert.Equal(KvOutcome.NotFound, reply.Outcome);

        var span = Assert.Single(_spans.Named("get"));
        Assert.Equal(parent.TraceId, span.TraceId);
        Assert.Equal(parent.SpanId, span.ParentSpanId);
        Assert.Equal("not_found", span.GetTagItem("couchbase.outcome"));
    }

    [Fact]
    public async Task A_multi_get_makes_one_span_per_key()
    {
        await Client.GetMultiAsync(new[] { "a", "b", "c" });
        Assert.Equal(3, _spans.Named("get").Count);
    }

    [Fact]
    public async Task A_redirected_operation_shows_its_attempts_and_retry_reason_in_its_span_and_the_redirect_in_metrics()
    {
        await Client.UpsertAsync("moved", "v");
        Cluster.Faults.ForceStatus(KvStatus.NotMyVBucket, Opcode.Get, keyPattern: "^moved$");
        Assert.True((await Client.GetAsync("moved")).IsSuccess);

        var span = Assert.Single(_spans.Named("get"));
        Assert.Equal(2, span.GetTagItem("couchbase.attempts"));
        Assert.Equal("KV_NOT_MY_VBUCKET", span.GetTagItem("couchbase.retry_reasons"));
        Assert.Equal(1, Meters.Sum("couchbase.kv.not_my_vbucket"));
    }

    [Fact]
    public async Task A_failover_applies_a_new_map_revision_and_later_spans_avoid_the_failed_node()
    {
        var applied = Meters.Sum("couchbase.cluster_map.revisions");
        Assert.True(applied >= 1, "the first map is a revision applied too");
        Cluster.Faults.Failover(2);
        await AwaitAssertAsync(() => Assert.Equal(2, Client.CurrentMap!.Nodes.Count), TimeSpan.FromSeconds(10));
        Assert.True(Meters.Sum("couchbase.cluster_map.revisions") > applied);

        await Client.GetMultiAsync(Enumerable.Range(0, 40).Select(i => $"after-{i}"));
        var failed = Cluster.Nodes[2].KvPort.ToString();
        var gets = _spans.Named("get");
        Assert.Equal(40, gets.Count);
        Assert.DoesNotContain(gets, s => s.GetTagItem("server.port")?.ToString() == failed && (int)s.GetTagItem("couchbase.attempts")! == 1 &&
                                         s.GetTagItem("couchbase.retry_reasons") is null);
    }
}
