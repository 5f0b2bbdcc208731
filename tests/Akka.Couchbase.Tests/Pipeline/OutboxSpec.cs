using Akka.Couchbase.Pipeline;
using Akka.Couchbase.Protocol;
using Xunit;

namespace Akka.Couchbase.Tests.Pipeline;

/// <summary>
/// The outbox coalesces frames into one write while the previous write is being taken, never hands the same array
/// to two writes at once, and never reuses an array whose write was not taken.
/// </summary>
public sealed class OutboxSpec
{
    private static KvRequest Numbered(KvRequest request, uint opaque)
    {
        request.Opaque = opaque;
        return request;
    }

    [Fact]
    public void Frames_added_while_a_write_is_pending_go_out_together_in_the_next_write()
    {
        var outbox = new Outbox(maxBatchBytes: 64 * 1024);
        var first = Numbered(RequestFixtures.Get("a"), 1);
        outbox.Add(first, jsonNegotiated: false);
        Assert.Equal(RequestState.Buffered, first.State);
        Assert.True(outbox.TryTake(out var write1, out var length1));
        Assert.Equal(RequestState.Written, first.State);
        Assert.True(first.WasWritten);
        Assert.Equal(first.EncodedSize, length1);
        Assert.Equal("a", RequestFixtures.Decode(write1, 0, length1).KeyString);

        var second = Numbered(RequestFixtures.Upsert("b", "v"), 2);
        var third = Numbered(RequestFixtures.Get("c"), 3);
        outbox.Add(second, jsonNegotiated: false);
        outbox.Add(third, jsonNegotiated: false);
        Assert.False(outbox.TryTake(out _, out _)); // the first write is not taken yet
        Assert.Equal(RequestState.Buffered, second.State);

        outbox.Written();
        Assert.True(outbox.TryTake(out var write2, out var length2));
        Assert.NotSame(write1, write2);
        Assert.Equal(second.EncodedSize + third.EncodedSize, length2);
        var decoded = new List<Frame>();
        new FrameDecoder(1 << 20).Feed(write2.AsSpan(0, length2), decoded);
        Assert.Equal(new[] { ("b", 2u, Opcode.Set), ("c", 3u, Opcode.Get) },
            decoded.Select(f => (f.KeyString, f.Opaque, f.Opcode)));
        Assert.All(new[] { second, third }, r => Assert.Equal(RequestState.Written, r.State));
    }

    [Fact]
    public void A_batch_fits_up_to_its_limit_and_an_empty_batch_takes_any_frame()
    {
        var outbox = new Outbox(maxBatchBytes: 100);
        var big = Numbered(RequestFixtures.Upsert("big", new string('x', 500)), 1);
        Assert.True(outbox.Fits(big.EncodedSize)); // alone, a frame larger than the limit still goes
        outbox.Add(big, jsonNegotiated: false);
        Assert.False(outbox.Fits(1));
        Assert.True(outbox.TryTake(out _, out var length));
        Assert.Equal(big.EncodedSize, length);
        Assert.True(outbox.Fits(100));
        var small = Numbered(RequestFixtures.Get("s"), 2);
        outbox.Add(small, jsonNegotiated: false);
        Assert.True(outbox.Fits(100 - small.EncodedSize));
        Assert.False(outbox.Fits(100 - small.EncodedSize + 1));
    }

    [Fact]
    public void The_array_of_a_taken_write_is_reused_only_after_it_was_taken_and_never_after_a_loss()
    {
        var outbox = new Outbox(maxBatchBytes: 64 * 1024);
        outbox.Add(Numbered(RequestFixtures.Get("a"), 1), jsonNegotiated: false);
        Assert.True(outbox.TryTake(out var first, out _));
        outbox.Written();
        outbox.Add(Numbered(RequestFixtures.Get("b"), 2), jsonNegotiated: false);
        Assert.True(outbox.TryTake(out var second, out _));
        outbox.Written();
        outbox.Add(Numbered(RequestFixtures.Get("c"), 3), jsonNegotiated: false);
        Assert.True(outbox.TryTake(out var third, out _));
        Assert.Same(first, third); // two arrays take turns once their writes are taken

        // The connection is lost while "third" is being written: its array may still be read by the socket.
        outbox.Reset();
        Assert.False(outbox.WritePending);
        outbox.Add(Numbered(RequestFixtures.Get("d"), 4), jsonNegotiated: false);
        Assert.True(outbox.TryTake(out var afterLoss, out _));
        Assert.NotSame(third, afterLoss);
        outbox.Written();
        outbox.Add(Numbered(RequestFixtures.Get("e"), 5), jsonNegotiated: false);
        Assert.True(outbox.TryTake(out var next, out _));
        Assert.NotSame(third, next);
    }

    [Fact]
    public void A_reset_drops_the_unwritten_batch_and_its_requests_stay_buffered()
    {
        var outbox = new Outbox(maxBatchBytes: 64 * 1024);
        var request = Numbered(RequestFixtures.Get("a"), 1);
        outbox.Add(request, jsonNegotiated: false);
        outbox.Reset();
        Assert.Equal(0, outbox.Length);
        Assert.False(outbox.TryTake(out _, out _));
        Assert.Equal(RequestState.Buffered, request.State); // never written: it may be sent again
        Assert.False(request.WasWritten);
    }
}
