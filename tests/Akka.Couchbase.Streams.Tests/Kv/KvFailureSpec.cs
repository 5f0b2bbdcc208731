using System.Text;
using Akka.Couchbase.Streams.Dsl;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Supervision;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Streams.Tests.KvStages;

/// <summary>
/// Genuine failures (here: a command the cluster never answers, so its deadline passes) and the stream's
/// supervision strategy: a flow keeps them in the stream unless the strategy says Stop; a sink fails unless it says
/// Resume; and a sink's task completes only once every element was answered.
/// </summary>
public sealed class KvFailureSpec : KvStageSpec
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(300);

    public KvFailureSpec(KvCluster kv, ITestOutputHelper output) : base(kv, output) { }

    private static IEnumerable<string> Keys(string prefix) => new[] { $"{prefix}-1", $"{prefix}-lost", $"{prefix}-3" };

    private static Attributes Strategy(Decider decider) => ActorAttributes.CreateSupervisionStrategy(decider);

    [Fact]
    public async Task By_default_a_flow_keeps_a_genuine_failure_in_the_stream_as_a_failed_result()
    {
        using var swallow = Server.Cluster.Faults.Swallow(keyPattern: "-lost$", count: -1);
        var results = await RunToList(Source.From(Keys("default"))
            .Via(CouchbaseFlow.Upsert<string>(k => k, k => k, CouchbaseWriteSettings.Default.WithTimeout(Deadline))));

        Assert.Equal(Keys("default"), results.Select(r => r.PassThrough));
        Assert.Equal(new[] { false, true, false }, results.Select(r => r.IsFailure));
        var timeout = Assert.IsType<KvTimeoutException>(results[1].Failure);
        Assert.Contains("default-lost", timeout.Message);
    }

    [Fact]
    public async Task A_stopping_strategy_on_the_flow_fails_the_stream_with_the_failure()
    {
        using var swallow = Server.Cluster.Faults.Swallow(keyPattern: "-lost$", count: -1);
        var flow = CouchbaseFlow.Upsert<string>(k => k, k => k, CouchbaseWriteSettings.Default.WithTimeout(Deadline))
            .WithAttributes(Strategy(Deciders.StoppingDecider));

        var e = await Assert.ThrowsAsync<KvTimeoutException>(() => RunToList(Source.From(Keys("stop")).Via(flow)));
        Assert.Contains("stop-lost", e.Message);
    }

    [Fact]
    public async Task A_decider_that_stops_only_some_failures_is_asked_for_each()
    {
        using var swallow = Server.Cluster.Faults.Swallow(keyPattern: "-lost$", count: -1);
        var asked = new List<Type>();
        Decider decider = e =>
        {
            lock (asked) asked.Add(e.GetType());
            return e is KvAmbiguousException ? Directive.Stop : Directive.Resume;
        };
        var results = await RunToList(Source.From(Keys("picky"))
            .Via(CouchbaseFlow.Get(CouchbaseReadSettings.Default.WithTimeout(Deadline)))
            .WithAttributes(Strategy(decider)));

        Assert.Equal(new[] { typeof(KvTimeoutException) }, asked);
        Assert.IsType<KvTimeoutException>(results[1].Failure);
    }

    [Fact]
    public async Task A_sink_completes_only_once_every_element_was_answered()
    {
        // The source completes at once; one command is never answered by the cluster, so its reply is the client's
        // timeout failure, which cannot come before its deadline. The strategy resumes past it.
        using var swallow = Server.Cluster.Faults.Swallow(keyPattern: "-lost$", count: -1);
        var deadline = TimeSpan.FromSeconds(1);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Source.From(Keys("sink-answered")).RunWith(
            CouchbaseSink.Upsert<string>(k => k, k => k, CouchbaseWriteSettings.Default.WithTimeout(deadline))
                .WithAttributes(Strategy(Deciders.ResumingDecider)), Materializer);

        Assert.True(started.Elapsed >= deadline, $"the sink completed after {started.Elapsed}, before the lost command's deadline");
        Assert.Equal(1, swallow.Hits);
    }

    [Fact]
    public async Task By_default_a_sink_fails_its_task_on_a_genuine_failure()
    {
        using var swallow = Server.Cluster.Faults.Swallow(keyPattern: "-lost$", count: -1);
        var task = Source.From(Keys("sink-stop"))
            .RunWith(CouchbaseSink.Remove(CouchbaseWriteSettings.Default.WithTimeout(Deadline)), Materializer);

        var e = await Assert.ThrowsAsync<KvTimeoutException>(() => task);
        Assert.Contains("sink-stop-lost", e.Message);
    }

    [Fact]
    public async Task A_sink_whose_strategy_resumes_goes_on_past_a_failure()
    {
        using var swallow = Server.Cluster.Faults.Swallow(keyPattern: "-lost$", count: -1);
        await Source.From(Keys("sink-resume")).RunWith(
            CouchbaseSink.Upsert<string>(k => k, k => k, CouchbaseWriteSettings.Default.WithTimeout(Deadline))
                .WithAttributes(Strategy(Deciders.ResumingDecider)), Materializer);

        Assert.NotNull(Server.Bucket.Get("sink-resume-1"));
        Assert.NotNull(Server.Bucket.Get("sink-resume-3"));
        Assert.Equal(1, swallow.Hits);
    }

    [Fact]
    public async Task Expected_outcomes_do_not_fail_a_sink()
    {
        Server.Bucket.Upsert("sink-insert-existing", Encoding.UTF8.GetBytes("\"old\""));
        await Source.From(new[] { "sink-insert-existing", "sink-insert-new" })
            .RunWith(CouchbaseSink.Insert<string>(k => k, _ => "new"), Materializer);

        Assert.Equal("\"old\"", Encoding.UTF8.GetString(Server.Bucket.Get("sink-insert-existing")!.Value));
        Assert.Equal("new", Encoding.UTF8.GetString(Server.Bucket.Get("sink-insert-new")!.Value));
    }

    [Fact]
    public async Task A_command_function_that_throws_fails_the_stream_by_default()
    {
        var e = await Assert.ThrowsAsync<FormatException>(() => RunToList(Source.From(new[] { "1", "x" })
            .Via(CouchbaseFlow.Get<string>(s => "n-" + int.Parse(s)))));
        Assert.Contains("'x'", e.Message);
    }

    [Fact]
    public async Task A_command_the_client_refuses_is_a_failed_result()
    {
        var results = await RunToList(Source.From(new[] { "fine", "" }).Via(CouchbaseFlow.Get()));
        Assert.Equal(KvOutcome.NotFound, results[0].Outcome);
        Assert.IsType<KvInvalidArgumentException>(results[1].Failure);
    }
}
