using Akka.Couchbase.Protocol;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;

namespace Akka.Couchbase.Tests.Protocol;

/// <summary>
/// Which bodies the decoder rents when it has a pool: a successful Get-family response of at least the minimum size
/// that must be assembled from several reads; never one below it, one inside a single read, another opcode, a
/// failed status, or any body without a pool. A rented body reads exactly as an allocated one, even though its
/// array may be longer.
/// </summary>
public sealed class FrameDecoderPoolingTests
{
    private const int MinSize = 1000;
    private static readonly byte[] Flags = { 0, 0, 0, 7 };

    private static byte[] Response(Opcode opcode, KvStatus status, int valueLength, uint opaque = 1) =>
        FrameWriter.Response(opcode, status, opaque, cas: 9, extras: Flags, value: Value(valueLength));

    private static byte[] Value(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 31)).ToArray();

    /// <summary>Feeds <paramref name="stream"/> as socket reads of <paramref name="readSize"/> bytes.</summary>
    private static List<RawFrame> Decode(FrameDecoder decoder, byte[] stream, int readSize)
    {
        var frames = new List<RawFrame>();
        for (var at = 0; at < stream.Length; at += readSize)
        {
            var read = stream.AsSpan(at, Math.Min(readSize, stream.Length - at)).ToArray();
            decoder.FeedShared(read, 0, read.Length, frames);
        }
        Assert.False(decoder.HasPartialFrame);
        return frames;
    }

    [Theory]
    [InlineData(Opcode.Get)]
    [InlineData(Opcode.GetAndTouch)]
    [InlineData(Opcode.GetLocked)]
    [InlineData(Opcode.GetReplica)]
    public void A_split_successful_get_reply_over_the_minimum_is_rented_and_reads_as_sent(Opcode opcode)
    {
        var pool = new CountingPool();
        var frame = Assert.Single(Decode(new FrameDecoder(1 << 20, pool, MinSize), Response(opcode, KvStatus.Success, 3000), 1024));

        Assert.Same(pool, frame.RentedFrom);
        Assert.True(pool.Lent(frame.Buffer));
        Assert.Equal(1, pool.Rented);
        Assert.Equal(0, pool.Returned);
        Assert.True(frame.Buffer.Length > frame.Length, "the pool's array is longer than the body: the test checks the body's own length is kept");
        Assert.Equal(4 + 3000, frame.Length);
        Assert.Equal(7u, frame.FlagsFromExtras);
        Assert.Equal(Value(3000), frame.Value.ToArray());
    }

    [Fact]
    public void A_body_of_exactly_the_minimum_is_rented_and_one_byte_less_is_not()
    {
        var pool = new CountingPool();
        var decoder = new FrameDecoder(1 << 20, pool, MinSize);
        var atMinimum = Response(Opcode.Get, KvStatus.Success, MinSize - 4, opaque: 1); // body: 4 bytes of flags + value
        var below = Response(Opcode.Get, KvStatus.Success, MinSize - 5, opaque: 2);

        var frames = Decode(decoder, atMinimum.Concat(below).ToArray(), 100);

        Assert.Equal(2, frames.Count);
        Assert.True(frames[0].IsRented);
        Assert.False(frames[1].IsRented);
        Assert.Equal(1, pool.Rented);
    }

    public static TheoryData<string, byte[], int, bool> NotRented => new()
    {
        { "below the minimum, split", Response(Opcode.Get, KvStatus.Success, 500), 100, true },
        { "over the minimum, inside one read", Response(Opcode.Get, KvStatus.Success, 3000), 8192, true },
        { "another opcode (GetClusterConfig)", Response(Opcode.GetClusterConfig, KvStatus.Success, 3000), 1024, true },
        { "another opcode (Set)", Response(Opcode.Set, KvStatus.Success, 3000), 1024, true },
        { "a failed status", Response(Opcode.Get, KvStatus.TemporaryFailure, 3000), 1024, true },
        { "a miss", Response(Opcode.Get, KvStatus.KeyNotFound, 3000), 1024, true },
        { "a request, not a response", FrameWriter.Request(Opcode.Get, 1, Flags, value: Value(3000)), 1024, true },
        { "no pool", Response(Opcode.Get, KvStatus.Success, 3000), 1024, false },
    };

    [Theory]
    [MemberData(nameof(NotRented))]
    public void Other_bodies_are_not_rented(string what, byte[] stream, int readSize, bool withPool)
    {
        var pool = new CountingPool();
        var decoder = withPool ? new FrameDecoder(1 << 20, pool, MinSize) : new FrameDecoder(1 << 20);

        var frame = Assert.Single(Decode(decoder, stream, readSize));

        Assert.False(frame.IsRented, what);
        Assert.Equal(0, pool.Rented);
        Assert.Equal(stream.AsSpan(Frame.HeaderSize).ToArray(), frame.Body.ToArray());
    }

    [Fact]
    public void The_frames_after_a_rented_body_in_the_same_read_are_decoded_from_where_it_ends()
    {
        // The rented array is longer than the body: the frames that follow must start at the body's own end.
        var pool = new CountingPool();
        var frames = new[]
        {
            Response(Opcode.Get, KvStatus.Success, 3000, opaque: 1),
            Response(Opcode.Get, KvStatus.Success, 10, opaque: 2),
            Response(Opcode.Get, KvStatus.Success, 2500, opaque: 3),
            Response(Opcode.Set, KvStatus.Success, 0, opaque: 4),
        };
        var stream = frames.SelectMany(f => f).ToArray();
        for (var readSize = 700; readSize < frames[0].Length; readSize += 97) // every read size splits the first frame
        {
            var decoded = Decode(new FrameDecoder(1 << 20, pool, MinSize), stream, readSize);

            Assert.Equal(new uint[] { 1, 2, 3, 4 }, decoded.Select(f => f.Opaque));
            for (var i = 0; i < frames.Length; i++)
                Assert.Equal(frames[i].AsSpan(Frame.HeaderSize).ToArray(), decoded[i].Body.ToArray());
            Assert.True(decoded[0].IsRented, $"reads of {readSize} bytes");
            var third = frames[0].Length + frames[1].Length;
            var thirdInOneRead = third / readSize == (third + frames[2].Length - 1) / readSize;
            Assert.Equal(!thirdInOneRead, decoded[2].IsRented);
            Assert.False(decoded[1].IsRented || decoded[3].IsRented, "bodies below the minimum are never rented");
        }
    }

    [Fact]
    public void A_whole_frame_read_on_its_own_is_decoded_in_place_and_marked_as_rented_from_its_pool()
    {
        var pool = new CountingPool();
        var frame = Response(Opcode.Get, KvStatus.Success, 5000);
        var rented = pool.Rent(frame.Length); // as the socket read loop rents it: possibly longer than the frame
        frame.CopyTo(rented, 0);
        var decoder = new FrameDecoder(1 << 20);
        var frames = new List<RawFrame>();

        decoder.FeedWholeFrame(rented, frame.Length, pool, frames);

        var decoded = Assert.Single(frames);
        Assert.Same(rented, decoded.Buffer);
        Assert.Same(pool, decoded.RentedFrom);
        Assert.Equal(Value(5000), decoded.Value.ToArray());
        Assert.False(decoder.HasPartialFrame);
    }

    [Fact]
    public void A_whole_frame_behind_a_partial_one_is_decoded_as_any_read_and_not_marked_rented()
    {
        var pool = new CountingPool();
        var first = Response(Opcode.Get, KvStatus.Success, 300, opaque: 1);
        var second = Response(Opcode.Get, KvStatus.Success, 5000, opaque: 2);
        var decoder = new FrameDecoder(1 << 20);
        var frames = new List<RawFrame>();
        decoder.FeedShared(first, 0, 100, frames); // the decoder holds a partial frame
        var rest = first.AsSpan(100).ToArray().Concat(second).ToArray();

        decoder.FeedWholeFrame(rest, rest.Length, pool, frames);

        Assert.Equal(new uint[] { 1, 2 }, frames.Select(f => f.Opaque).ToArray());
        Assert.All(frames, f => Assert.Null(f.RentedFrom));
        Assert.Equal(Value(5000), frames[1].Value.ToArray());
    }
}
