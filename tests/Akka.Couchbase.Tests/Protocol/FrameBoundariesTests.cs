using System.Buffers.Binary;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Transport;
using Xunit;

namespace Akka.Couchbase.Tests.Protocol;

/// <summary>
/// The socket read loop's frame tracking: whatever the reads' sizes, it finds exactly the response frames that a read
/// begins without finishing and of which enough is still unread, and follows every other frame to its end.
/// </summary>
public sealed class FrameBoundariesTests
{
    private static byte[] Frame(byte magic, int bodyLength, byte fill)
    {
        var frame = new byte[24 + bodyLength];
        frame[0] = magic;
        frame[1] = (byte)Opcode.Get;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), (uint)bodyLength);
        frame.AsSpan(24).Fill(fill);
        return frame;
    }

    /// <summary>Feeds <paramref name="stream"/> in reads of <paramref name="readSize"/> bytes, as the read loop does: a found frame's rest is skipped as if read on its own.</summary>
    private static List<(int Offset, int Length)> Found(byte[] stream, int readSize, FrameBoundaries boundaries)
    {
        var found = new List<(int, int)>();
        var position = 0;
        while (position < stream.Length)
        {
            var read = Math.Min(readSize, stream.Length - position);
            var start = boundaries.Scan(stream.AsSpan(position, read), out var length, out var header);
            if (start >= 0)
            {
                Assert.Equal(stream.AsSpan(position + start, 24).ToArray(), header.ToArray());
                found.Add((position + start, length));
                position += start + length; // the loop reads the frame's rest itself
            }
            else
            {
                position += read;
            }
        }
        return found;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(24)]
    [InlineData(1000)]
    [InlineData(4096)]
    [InlineData(65536)]
    public void Large_frames_are_found_at_their_start_whatever_the_read_size(int readSize)
    {
        var small = Frame(Magic.Response, 100, 1);
        var large = Frame(Magic.Response, 100_000, 2);
        var stream = small.Concat(large).Concat(small).Concat(large).Concat(large).Concat(small).ToArray();
        var found = Found(stream, readSize, new FrameBoundaries(16 * 1024, 1 << 20));

        var starts = new[] { small.Length, 2 * small.Length + large.Length, 2 * small.Length + 2 * large.Length };
        // A read that ends inside a large frame's header cannot hand the frame over whole (its header went as a
        // read already): with reads smaller than a header such frames are followed through instead.
        Assert.All(found, f => Assert.Equal(large.Length, f.Length));
        Assert.All(found, f => Assert.Contains(f.Offset, starts));
        if (readSize >= 1000) Assert.Equal(starts, found.Select(f => f.Offset).ToArray());
        if (readSize >= 24) Assert.NotEmpty(found);
        else Assert.Empty(found); // no header fits in one read

    }

    [Fact]
    public void A_frame_whose_rest_is_below_the_minimum_is_followed_not_found()
    {
        var frame = Frame(Magic.Response, 20_000, 3);
        var boundaries = new FrameBoundaries(16 * 1024, 1 << 20);
        // The first read holds all but 1,000 bytes of it: too little left to be worth a read of its own.
        Assert.Equal(-1, boundaries.Scan(frame.AsSpan(0, frame.Length - 1000), out _, out _));
        // The next read finishes it and begins a large one, which is found at its start in that read.
        var next = Frame(Magic.Response, 50_000, 4);
        var second = frame.AsSpan(frame.Length - 1000).ToArray().Concat(next.AsSpan(0, 4096).ToArray()).ToArray();
        Assert.Equal(1000, boundaries.Scan(second, out var length, out _));
        Assert.Equal(next.Length, length);
    }

    [Fact]
    public void Request_frames_and_bodies_beyond_the_maximum_are_left_to_the_decoder()
    {
        var request = Frame(Magic.Request, 100_000, 5);
        Assert.Equal(-1, new FrameBoundaries(16 * 1024, 1 << 20).Scan(request.AsSpan(0, 4096), out _, out _));
        var huge = Frame(Magic.Response, 100_000, 6);
        Assert.Equal(-1, new FrameBoundaries(16 * 1024, 50_000).Scan(huge.AsSpan(0, 4096), out _, out _));
        var badKey = Frame(Magic.Response, 100_000, 7);
        BinaryPrimitives.WriteUInt16BigEndian(badKey.AsSpan(2), 60_000); // key and extras beyond the body: the decoder refuses it
        badKey[4] = 255;
        BinaryPrimitives.WriteUInt32BigEndian(badKey.AsSpan(8), 60_100);
        Assert.Equal(-1, new FrameBoundaries(16 * 1024, 1 << 20).Scan(badKey.AsSpan(0, 4096), out _, out _));
    }
}
