using System.Buffers.Binary;
using Akka.Couchbase.Protocol;
using Xunit;

namespace Akka.Couchbase.Tests.Protocol;

/// <summary>
/// Decoding socket reads in place: a frame split across two reads is copied into its own array once, and every
/// frame that lies wholly inside a read, including those after the end of a split frame, is a range of that read
/// (no copy), whatever the split.
/// </summary>
public class FrameDecoderSharingTests
{
    /// <summary>Response frames with bodies of 0 to 300 bytes (opaque = index), back to back.</summary>
    private static (byte[] Stream, int[] Starts) Frames(int count)
    {
        var stream = new List<byte>();
        var starts = new int[count];
        for (var i = 0; i < count; i++)
        {
            starts[i] = stream.Count;
            var body = (i * 37) % 301;
            var header = new byte[Frame.HeaderSize];
            header[0] = Magic.Response;
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), (uint)body);
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(12), (uint)i);
            stream.AddRange(header);
            for (var b = 0; b < body; b++) stream.Add((byte)(i + b));
        }
        return (stream.ToArray(), starts);
    }

    [Fact]
    public void Only_the_frame_split_by_a_read_boundary_is_copied_and_the_frames_after_it_are_ranges_of_the_read()
    {
        var (stream, starts) = Frames(24);
        for (var cut = 1; cut < stream.Length; cut++)
        {
            var first = stream.AsSpan(0, cut).ToArray();
            var second = stream.AsSpan(cut).ToArray();
            var decoder = new FrameDecoder(1024);
            var frames = new List<RawFrame>();

            decoder.FeedShared(first, 0, first.Length, frames);
            decoder.FeedShared(second, 0, second.Length, frames);

            Assert.False(decoder.HasPartialFrame);
            Assert.Equal(starts.Length, frames.Count);
            var copied = 0;
            for (var i = 0; i < frames.Count; i++)
            {
                var end = i + 1 < starts.Length ? starts[i + 1] : stream.Length;
                Assert.Equal((uint)i, frames[i].Opaque);
                Assert.Equal(stream.AsSpan(starts[i] + Frame.HeaderSize, end - starts[i] - Frame.HeaderSize).ToArray(), frames[i].Body.ToArray());
                if (end <= cut) Assert.Same(first, frames[i].Buffer);
                else if (starts[i] >= cut) Assert.Same(second, frames[i].Buffer);
                else copied++;
            }
            Assert.True(copied <= 1, $"cut at {cut}: {copied} frames copied, at most the one split by the cut may be");
        }
    }

    [Fact]
    public void A_frame_split_over_many_reads_is_copied_once_and_the_rest_of_its_last_read_is_not()
    {
        var (stream, starts) = Frames(40);
        // Reads of 100 bytes: most frames span several, a few small ones lie inside one, often right after a split one.
        const int readSize = 100;
        var reads = new List<byte[]>();
        for (var at = 0; at < stream.Length; at += readSize) reads.Add(stream.AsSpan(at, Math.Min(readSize, stream.Length - at)).ToArray());
        var decoder = new FrameDecoder(1024);
        var frames = new List<RawFrame>();

        foreach (var read in reads) decoder.FeedShared(read, 0, read.Length, frames);

        Assert.False(decoder.HasPartialFrame);
        Assert.Equal(starts.Length, frames.Count);
        var inPlace = 0;
        for (var i = 0; i < frames.Count; i++)
        {
            var end = i + 1 < starts.Length ? starts[i + 1] : stream.Length;
            Assert.Equal((uint)i, frames[i].Opaque);
            Assert.Equal(stream.AsSpan(starts[i] + Frame.HeaderSize, end - starts[i] - Frame.HeaderSize).ToArray(), frames[i].Body.ToArray());
            // A frame inside one read is a range of it; any other has an array of exactly its body.
            var read = starts[i] / readSize;
            if ((end - 1) / readSize == read)
            {
                Assert.Same(reads[read], frames[i].Buffer);
                inPlace++;
            }
            else Assert.Equal(end - starts[i] - Frame.HeaderSize, frames[i].Buffer.Length);
        }
        Assert.True(inPlace >= 3, $"only {inPlace} frames lay inside one read: the stream does not test what it should");
    }
}
