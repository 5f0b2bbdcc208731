using System.Buffers.Binary;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Transport;
using Xunit;

namespace Akka.Couchbase.Tests.Protocol;

/// <summary>
/// The read loop's delivery: whatever the reads' sizes, the connection gets every byte of the stream once and in
/// order, in arrays that are never written again; a large read goes in the loop's own buffer (no copy) and the loop
/// reads on into a new one, a small read is copied and the buffer kept.
/// </summary>
public sealed class ReadDeliveryTests
{
    private static byte[] Frame(int bodyLength, byte fill)
    {
        var frame = new byte[24 + bodyLength];
        frame[0] = Magic.Response;
        frame[1] = (byte)Opcode.Get;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), (uint)bodyLength);
        frame.AsSpan(24).Fill(fill);
        return frame;
    }

    private sealed record Delivered(byte[] Array, int Count, byte[] Snapshot, bool InLoopBuffer, bool WholeFrame);

    /// <summary>Runs a read loop as the transports do over <paramref name="stream"/>, each read at most <paramref name="readSize"/> bytes.</summary>
    private static async Task<(List<Delivered> Delivered, int Reads, int BuffersReplaced)> Run(byte[] stream, int readSize)
    {
        var position = 0;
        ValueTask<int> Receive(Memory<byte> into)
        {
            var n = Math.Min(Math.Min(readSize, into.Length), stream.Length - position);
            stream.AsMemory(position, n).CopyTo(into);
            position += n;
            return ValueTask.FromResult(n);
        }

        var delivered = new List<Delivered>();
        var buffer = new byte[ReadDelivery.BufferSize];
        var current = buffer;
        var delivery = new ReadDelivery(1 << 24, ValuePoolingSettings.Default, Receive,
            (array, count) => delivered.Add(new Delivered(array, count, array.AsSpan(0, count).ToArray(), ReferenceEquals(array, current), false)),
            (array, length, _) => delivered.Add(new Delivered(array, length, array.AsSpan(0, length).ToArray(), false, true)));
        var (reads, replaced) = (0, 0);
        while (true)
        {
            var read = await Receive(buffer);
            if (read == 0) break;
            reads++;
            current = buffer;
            var next = await delivery.DeliverAsync(buffer, read);
            Assert.NotNull(next);
            if (!ReferenceEquals(next, buffer)) replaced++;
            buffer = next!;
        }
        return (delivered, reads, replaced);
    }

    private static byte[] Stream(params (int Body, int Count)[] frames)
    {
        var all = new List<byte>();
        byte fill = 1;
        foreach (var (body, count) in frames)
            for (var i = 0; i < count; i++) all.AddRange(Frame(body, fill++));
        return all.ToArray();
    }

    [Theory]
    [InlineData(100)]
    [InlineData(4096)]
    [InlineData(20_000)]
    [InlineData(32 * 1024)]
    [InlineData(60_000)]
    [InlineData(65536)]
    public async Task Every_byte_arrives_once_and_in_order_in_arrays_never_written_again(int readSize)
    {
        var stream = Stream((1000, 40), (16_400, 10), (200_000, 2), (100, 300), (40_000, 3));
        var (delivered, _, _) = await Run(stream, readSize);

        Assert.Equal(stream, delivered.SelectMany(d => d.Snapshot).ToArray());
        // Nothing the connection was given changed after it was given (the loop's later reads went elsewhere).
        Assert.All(delivered, d => Assert.Equal(d.Snapshot, d.Array.AsSpan(0, d.Count).ToArray()));
    }

    [Fact]
    public async Task A_large_read_goes_in_the_loops_own_buffer_and_the_loop_reads_on_into_a_new_one()
    {
        // 1 KiB frames only (none is read on its own), in reads of the whole buffer: each read is handed over.
        var stream = Stream((1000, 400));
        var (delivered, reads, replaced) = await Run(stream, ReadDelivery.BufferSize);

        var full = delivered.Where(d => d.Count >= ReadDelivery.MinHandOverBytes).ToList();
        Assert.NotEmpty(full);
        Assert.All(full, d => Assert.True(d.InLoopBuffer, "a read of at least seven eighths of the buffer is not copied"));
        Assert.Equal(full.Count, replaced);
        Assert.Equal(reads, delivered.Count);
    }

    [Fact]
    public async Task A_small_read_is_copied_and_the_loop_keeps_its_buffer()
    {
        var stream = Stream((1000, 100));
        var (delivered, reads, replaced) = await Run(stream, 4096);

        Assert.Equal(reads, delivered.Count);
        Assert.All(delivered, d => Assert.False(d.InLoopBuffer, "a read below seven eighths of the buffer is copied"));
        Assert.All(delivered, d => Assert.Equal(d.Count, d.Array.Length));
        Assert.Equal(0, replaced);
    }

    [Fact]
    public async Task The_frames_before_a_large_one_go_in_the_loops_buffer_when_they_fill_seven_eighths_of_it()
    {
        // A read of the whole buffer: 56 KiB of small frames, then the start of a 200 KB frame read on its own.
        var stream = Stream((1000, 56), (200_000, 1));
        var (delivered, _, replaced) = await Run(stream, ReadDelivery.BufferSize);

        Assert.True(delivered[0].InLoopBuffer);
        Assert.Equal(56 * 1024, delivered[0].Count);
        Assert.True(delivered[1].WholeFrame);
        Assert.Equal(200_024, delivered[1].Count);
        Assert.Equal(1, replaced);
        Assert.Equal(stream, delivered.SelectMany(d => d.Snapshot).ToArray());
    }
}
