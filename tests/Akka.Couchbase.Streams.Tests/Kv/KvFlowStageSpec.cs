using Akka.Actor;
using Akka.Couchbase.Streams.Dsl;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Streams.Tests.KvStages;

/// <summary>
/// The KV stage's bookkeeping with a probe in the supervisor's place, which answers when and in the order the test
/// says: replies are matched by correlation id whatever their order, results leave in element order, and a reply
/// for no command of the stage is ignored.
/// </summary>
public sealed class KvFlowStageSpec : Akka.TestKit.Xunit2.TestKit
{
    public KvFlowStageSpec(ITestOutputHelper output) : base(output: output) { }

    private (TestProbe Supervisor, TestPublisher.Probe<string> Keys, TestSubscriber.Probe<CouchbaseResult<GetResult, string>> Results)
        Start(int parallelism)
    {
        var supervisor = CreateTestProbe();
        var stage = new KvFlowStage<string, GetResult>((key, id) => new Kv.Get(key) { CorrelationId = id }, parallelism,
            _ => supervisor.Ref, stopWithoutChoice: false);
        var (keys, results) = this.SourceProbe<string>()
            .Via(Flow.FromGraph(stage))
            .ToMaterialized(this.SinkProbe<CouchbaseResult<GetResult, string>>(), Keep.Both)
            .Run(Sys.Materializer());
        return (supervisor, keys, results);
    }

    private static GetResult Hit(Kv.Get get) =>
        new(get.Key, KvOutcome.Success, 1, get.CorrelationId, ReadOnlyMemory<byte>.Empty, 0, Protocol.DataType.Raw);

    [Fact]
    public void Replies_in_reverse_order_come_out_in_element_order()
    {
        var (supervisor, keys, results) = Start(parallelism: 3);
        results.Request(3);
        foreach (var k in new[] { "a", "b", "c" }) keys.SendNext(k);
        var sent = new[] { supervisor.ExpectMsg<Kv.Get>(), supervisor.ExpectMsg<Kv.Get>(), supervisor.ExpectMsg<Kv.Get>() };
        Assert.Equal(new[] { "a", "b", "c" }, sent.Select(g => g.Key));
        Assert.Equal(3, sent.Select(g => g.CorrelationId).Distinct().Count());

        supervisor.Reply(Hit(sent[2]));
        supervisor.Reply(Hit(sent[1]));
        supervisor.Reply(new Status.Failure(new KvTimeoutException("a timed out", sent[0].CorrelationId)));

        var out1 = results.ExpectNext();
        Assert.Equal(("a", true), (out1.PassThrough, out1.IsFailure));
        Assert.Equal(new[] { "b", "c" }, new[] { results.ExpectNext().PassThrough, results.ExpectNext().PassThrough });
    }

    [Fact]
    public void A_reply_that_answers_no_command_of_the_stage_is_ignored()
    {
        var (supervisor, keys, results) = Start(parallelism: 2);
        results.Request(1);
        keys.SendNext("a");
        var a = supervisor.ExpectMsg<Kv.Get>();
        supervisor.Reply(Hit(a with { CorrelationId = "someone else's" }));
        supervisor.Reply(Hit(a));
        Assert.Equal("a", results.ExpectNext().PassThrough);
        keys.SendComplete();
        results.ExpectComplete();
    }
}
