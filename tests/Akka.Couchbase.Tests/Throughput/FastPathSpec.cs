using System.Text;
using Akka.Actor;
using Akka.Couchbase.Actors;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Tests.Infrastructure;
using Akka.IO;
using Xunit;
using Xunit.Abstractions;
using Akka.Couchbase.Pipeline;
using Akka.Couchbase.Transport;

namespace Akka.Couchbase.Tests.Throughput;

/// <summary>
/// The throughput work keeps the contracts: tasks complete off the actors, even with a blocking continuation;
/// frames decoded in place equal frames decoded by copy, values that would pin a large read are copied, and
/// many pipelined batches (buffers reused after each ack) deliver every reply, matched to its own command.
/// </summary>
public sealed class FastPathSpec : ClientSpec, IClassFixture<MemcachedFixture>
{
    public FastPathSpec(MemcachedFixture server, ITestOutputHelper output) : base(MemcachedHocon(server.Memcached.Address), output)
    {
    }

    private static string Key(string name) => $"{name}-{Guid.NewGuid():N}";

    [Fact]
    public void Received_data_is_read_in_place_on_the_referenced_Akka_version()
    {
        var bytes = new byte[] { 1, 2, 3, 4 };
        Assert.True(ReceivedBytes.TryGetSingleSegment(ByteString.CopyFrom(bytes), out var segment));
        Assert.Equal(bytes, segment.ToArray());
        Assert.True(ReceivedBytes.TryGetSingleSegment(ByteString.CopyFrom(bytes, 1, 2), out segment));
        Assert.Equal(new byte[] { 2, 3 }, segment.ToArray());
    }

    [Fact]
    public void Frames_decoded_in_place_equal_frames_decoded_by_copy_for_every_split()
    {
        var stream = new List<byte>();
        for (var i = 0; i < 5; i++)
            stream.AddRange(FrameWriter.Response(Opcode.Get, KvStatus.Success, (uint)i, cas: (ulong)i + 7,
                extras: new byte[] { 0, 0, 0, (byte)i }, value: Encoding.ASCII.GetBytes(new string((char)('a' + i), 10 * i))));
        var all = stream.ToArray();
        var expected = new List<Frame>();
        new FrameDecoder(1 << 20).Feed(all, expected);

        for (var cut1 = 0; cut1 <= all.Length; cut1 += 3)
        for (var cut2 = cut1; cut2 <= all.Length; cut2 += 7)
        {
            var decoder = new FrameDecoder(1 << 20);
            var frames = new List<RawFrame>();
            decoder.FeedShared(all[..cut1], 0, cut1, frames);
            decoder.FeedShared(all[cut1..cut2], 0, cut2 - cut1, frames);
            decoder.FeedShared(all[cut2..], 0, all.Length - cut2, frames);
            Assert.Equal(expected.Count, frames.Count);
            for (var i = 0; i < frames.Count; i++)
            {
                var f = frames[i].ToFrame();
                Assert.Equal(expected[i].Opaque, f.Opaque);
                Assert.Equal(expected[i].Cas, f.Cas);
                Assert.Equal(expected[i].FlagsFromExtras, f.FlagsFromExtras);
                Assert.Equal(expected[i].Value.ToArray(), f.Value.ToArray());
                Assert.Equal(expected[i].Body, f.Body);
            }
        }
    }

    [Fact]
    public async Task A_continuation_that_blocks_on_another_task_does_not_deadlock_the_completions()
    {
        var key = Key("blocking");
        await Client.UpsertAsync(key, "v");
        // Sync-over-async inside a continuation: the inner reply must still be completed while the outer
        // continuation blocks the pool thread that completed it. Had the continuation run on the connection actor,
        // the inner Get could never be answered either.
        var outcome = await Client.GetAsync(key).ContinueWith(_ =>
            Client.GetAsync(key).Wait(TimeSpan.FromSeconds(10)) ? "done" : "deadlocked",
            TaskContinuationOptions.ExecuteSynchronously);
        Assert.Equal("done", outcome);
    }

    [Fact]
    public async Task A_continuation_that_blocks_after_the_first_blocked_one_has_left_is_rescued_too()
    {
        var key = Key("blocking-twice");
        await Client.UpsertAsync(key, "v");
        // The first continuation blocks until the second Get completes, and then returns (its drainer leaves); the
        // second Get's own continuation blocks on a third Get of the same key (the same completion queue), which
        // needs yet another drainer.
        var second = new TaskCompletionSource<Task<string>>();
        var first = await Client.GetAsync(key).ContinueWith(_ =>
        {
            var next = Client.GetAsync(key);
            second.SetResult(next.ContinueWith(_ => Client.GetAsync(key).Wait(TimeSpan.FromSeconds(10)) ? "done" : "deadlocked",
                TaskContinuationOptions.ExecuteSynchronously));
            return next.Wait(TimeSpan.FromSeconds(10));
        }, TaskContinuationOptions.ExecuteSynchronously);
        Assert.True(first, "the second Get did not complete while the first continuation blocked");
        Assert.Equal("done", await await second.Task);
    }

    [Fact]
    public async Task Tasks_on_one_key_complete_in_the_order_of_their_commands()
    {
        var key = Key("order");
        await Client.UpsertAsync(key, "");
        var completed = new System.Collections.Concurrent.ConcurrentQueue<int>();
        var tasks = new List<Task>();
        for (var i = 0; i < 100; i++)
        {
            var n = i;
            tasks.Add(Client.AppendAsync(key, $"{n},").ContinueWith(_ => completed.Enqueue(n),
                TaskContinuationOptions.ExecuteSynchronously));
        }
        await Task.WhenAll(tasks);
        Assert.Equal(Enumerable.Range(0, 100), completed);
        Assert.Equal(string.Concat(Enumerable.Range(0, 100).Select(n => $"{n},")), await Client.GetAsync<string>(key));
    }

    [Fact]
    public async Task Many_pipelined_batches_each_get_their_own_value()
    {
        var keys = Enumerable.Range(0, 200).Select(i => Key($"pipe{i}")).ToArray();
        var values = keys.Select((k, i) => new string((char)('a' + i % 26), 100 + 37 * i % 3000)).ToArray();
        await Task.WhenAll(keys.Select((k, i) => Client.UpsertAsync(k, values[i])));
        for (var round = 0; round < 5; round++)
        {
            var gets = keys.Select(k => Client.GetAsync<string>(k)).ToArray();
            var got = await Task.WhenAll(gets);
            Assert.Equal(values, got);
        }
    }

    [Fact]
    public async Task A_small_value_does_not_keep_a_large_read_alive()
    {
        var big = Key("big");
        var small = Key("small");
        await Client.UpsertAsync(big, new byte[200_000]);
        await Client.UpsertAsync(small, new byte[] { 42 });
        var results = await Task.WhenAll(Client.GetAsync(big), Client.GetAsync(small), Client.GetAsync(big));
        var tiny = results[1].RawValue;
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(tiny, out var segment));
        // Kept as a range of its read only when that read is at most MaxPinRatio times the value, else copied out.
        Assert.True(segment.Array!.Length <= ResponseMapper.MaxPinRatio * tiny.Length,
            $"a 1-byte value lives in an array of {segment.Array.Length} bytes");
        Assert.Equal(new byte[] { 42 }, tiny.ToArray());
    }
}
