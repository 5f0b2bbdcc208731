using System.Diagnostics;
using Akka.Couchbase.Pipeline;
using Xunit;
using static Akka.Couchbase.Pipeline.InFlightTable;

namespace Akka.Couchbase.Tests.Pipeline;

/// <summary>
/// The in-flight table numbers requests in send order, finds a reply's request, sweeps out the expired in send
/// order, and on a lost connection says of each request whether it goes again or is ambiguous.
/// </summary>
public sealed class InFlightTableSpec
{
    private static KvRequest Written(KvRequest request)
    {
        request.State = RequestState.Written;
        return request;
    }

    [Fact]
    public void Requests_are_numbered_after_the_handshake_in_send_order_and_found_by_opaque()
    {
        var table = new InFlightTable();
        table.NumberAfter(103);
        var a = RequestFixtures.Get("a");
        var b = RequestFixtures.Get("b");
        table.Add(a);
        table.Add(b);
        Assert.Equal((104u, 105u), (a.Opaque, b.Opaque));
        Assert.True(table.TryGet(105, out var found));
        Assert.Same(b, found);
        Assert.Equal(2, table.Count); // TryGet leaves it in
        Assert.True(table.TryRemove(104, out var removed));
        Assert.Same(a, removed);
        Assert.False(table.TryRemove(104, out _));
        Assert.False(table.NeverSent(104)); // answered already, or late: not a protocol error
        Assert.True(table.NeverSent(106));
        table.Restore(a);
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void Expired_requests_are_taken_out_in_send_order_and_the_others_stay()
    {
        var table = new InFlightTable();
        var requests = Enumerable.Range(0, 40)
            .Select(i => RequestFixtures.Get($"k{i}", TimeSpan.FromMilliseconds(i % 2 == 0 ? 1 : 60_000)))
            .ToList();
        foreach (var r in requests) table.Add(r);
        var later = Stopwatch.GetTimestamp() + Stopwatch.Frequency; // a second from now
        var expired = table.TakeExpired(later)!;
        Assert.Equal(requests.Where((_, i) => i % 2 == 0).Select(r => r.Opaque), expired.Select(r => r.Opaque));
        Assert.Equal(20, table.Count);
        Assert.Null(table.TakeExpired(later));
    }

    [Fact]
    public void On_loss_written_mutations_are_ambiguous_and_so_is_a_written_read_followed_by_a_written_mutation_of_its_key()
    {
        var table = new InFlightTable();
        var readBeforeMutation = Written(RequestFixtures.Get("k"));
        var mutation = Written(RequestFixtures.Upsert("k", "v"));
        var readAfterMutation = Written(RequestFixtures.Get("k"));
        var otherRead = Written(RequestFixtures.Get("other"));
        var unwrittenMutation = RequestFixtures.Upsert("k", "w"); // buffered, never handed to the socket
        unwrittenMutation.State = RequestState.Buffered;
        foreach (var r in new[] { readBeforeMutation, mutation, readAfterMutation, otherRead, unwrittenMutation })
            table.Add(r);

        var verdicts = table.TakeOnLoss();

        Assert.Equal(0, table.Count);
        Assert.Equal(new[]
        {
            (readBeforeMutation, LossVerdict.AmbiguousRead),
            (mutation, LossVerdict.Ambiguous),
            (readAfterMutation, LossVerdict.SendAgain),
            (otherRead, LossVerdict.SendAgain),
            (unwrittenMutation, LossVerdict.SendAgain),
        }, verdicts.Select(v => (v.Request, v.Verdict)));
    }

    [Fact]
    public void TakeAll_empties_the_table_in_send_order()
    {
        var table = new InFlightTable();
        var requests = Enumerable.Range(0, 100).Select(i => RequestFixtures.Get($"k{i}")).ToList();
        foreach (var r in requests) table.Add(r);
        Assert.Equal(requests, table.TakeAll());
        Assert.Equal(0, table.Count);
    }
}
