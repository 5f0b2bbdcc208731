using Akka.Couchbase.Pipeline;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Tests.Infrastructure;
using Akka.Couchbase.Transcoding;
using Xunit;

namespace Akka.Couchbase.Tests.Pipeline;

/// <summary>
/// A successful Get result made from a rented body owns it: Dispose gives it back exactly once (from any thread, any
/// number of times), after which its value cannot be read; its copies share it; equality and ToString still work.
/// A result from a body that is not rented owns nothing, and Dispose changes nothing.
/// </summary>
public sealed class PooledGetResultSpec
{
    private const int ValueLength = 5000;
    private static readonly byte[] Value = Enumerable.Range(0, ValueLength).Select(i => (byte)(i * 7)).ToArray();

    /// <summary>The reply to a Get of <paramref name="key"/>, decoded from reads of 1 KiB, and mapped.</summary>
    private static GetResult Reply(string key, CountingPool? pool, ITranscoder? transcoder = null)
    {
        var stream = FrameWriter.Response(Opcode.Get, KvStatus.Success, 1, cas: 5, extras: new byte[] { 0, 0, 0, 0 }, value: Value);
        var decoder = pool is null ? new FrameDecoder(1 << 20) : new FrameDecoder(1 << 20, pool, 1024);
        var frames = new List<RawFrame>();
        for (var at = 0; at < stream.Length; at += 1024)
        {
            var read = stream.AsSpan(at, Math.Min(1024, stream.Length - at)).ToArray();
            decoder.FeedShared(read, 0, read.Length, frames);
        }
        var frame = Assert.Single(frames);
        Assert.Equal(pool is not null, frame.IsRented);
        return Assert.IsType<GetResult>(ResponseMapper.Map(RequestFixtures.Get(key), frame, transcoder ?? DefaultTranscoder.Instance, 0, 0));
    }

    private static byte[] ArrayOf(ReadOnlyMemory<byte> memory)
    {
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(memory, out var segment));
        return segment.Array!;
    }

    [Fact]
    public void Dispose_gives_the_rented_body_back_once_and_the_value_can_no_longer_be_read()
    {
        var pool = new CountingPool();
        var result = Reply("beer", pool);
        var array = ArrayOf(result.RawValue);
        Assert.True(pool.Lent(array));
        Assert.Equal(Value, result.ContentAs<byte[]>());

        result.Dispose();
        result.Dispose();

        Assert.Equal(1, pool.ReturnsOf(array));
        Assert.True(result.IsDisposed);
        var e = Assert.Throws<ObjectDisposedException>(() => result.RawValue);
        Assert.Contains("'beer'", e.Message);
        Assert.Contains("'beer'", Assert.Throws<ObjectDisposedException>(() => result.ContentAs<byte[]>()).Message);
        Assert.Equal($"GetResult(Key=beer, Outcome=Success, Cas=0x5, Flags=0x0, Value={ValueLength} bytes, disposed)", result.ToString());
    }

    [Fact]
    public void Disposing_from_many_threads_at_once_gives_the_body_back_once()
    {
        var pool = new CountingPool();
        for (var round = 0; round < 50; round++)
        {
            var result = Reply("k", pool);
            var array = ArrayOf(result.RawValue);
            using var start = new Barrier(4);
            var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() => { start.SignalAndWait(); result.Dispose(); })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.Equal(1, pool.ReturnsOf(array));
        }
        Assert.Equal((50, 50), (pool.Rented, pool.Returned));
    }

    [Fact]
    public void A_copy_made_with_with_shares_the_body_and_disposing_either_disposes_both()
    {
        var pool = new CountingPool();
        var result = Reply("k", pool);
        var copy = result with { CorrelationId = "mine" };
        Assert.NotEqual(result, copy);
        Assert.Equal(result, result with { });

        copy.Dispose();

        Assert.True(result.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => result.RawValue);
        result.Dispose();
        Assert.Equal(1, pool.Returned);
    }

    [Fact]
    public void A_copy_given_a_value_of_its_own_owns_no_body()
    {
        var pool = new CountingPool();
        var result = Reply("k", pool);
        var own = result with { RawValue = new byte[] { 1, 2, 3 } };

        own.Dispose();

        Assert.Equal(0, pool.Returned);
        Assert.False(result.IsDisposed);
        result.Dispose();
        Assert.Equal(new byte[] { 1, 2, 3 }, own.RawValue.ToArray());
        Assert.Equal(1, pool.Returned);
    }

    [Fact]
    public void A_result_whose_body_is_not_rented_owns_nothing_and_reads_as_before_after_Dispose()
    {
        var result = Reply("k", pool: null);

        result.Dispose();

        Assert.False(result.IsDisposed);
        Assert.Equal(Value, result.RawValue.ToArray());
        Assert.Equal(Value, result.ContentAs<byte[]>());
    }

    [Fact]
    public void Results_are_equal_as_records_whether_pooled_or_not()
    {
        var plain = new GetResult("k", KvOutcome.Success, 1, null, Value, 0, DataType.Raw);
        Assert.Equal(plain, plain with { });
        Assert.Equal(plain, new GetResult("k", KvOutcome.Success, 1, null, Value, 0, DataType.Raw));
        Assert.NotEqual(plain, plain with { Cas = 2 });
        var pooled = Reply("k", new CountingPool());
        Assert.Equal(pooled.GetHashCode(), (pooled with { }).GetHashCode());
        pooled.Dispose();
        Assert.Equal(pooled, pooled with { }); // equality reads no value: it works after Dispose too
    }

    /// <summary>A transcoder of the client's own: decodes every value as its length.</summary>
    private sealed class LengthTranscoder : ITranscoder
    {
        public EncodedValue Encode<T>(T value) => throw new NotSupportedException();
        public T Decode<T>(ReadOnlyMemory<byte> bytes, uint flags, DataType dataType) => (T)(object)bytes.Length;
    }

    [Fact]
    public void A_rented_body_and_a_transcoder_of_the_clients_own_are_both_kept_and_a_value_of_its_own_keeps_only_the_transcoder()
    {
        var pool = new CountingPool();
        var result = Reply("k", pool, new LengthTranscoder());

        Assert.Equal(ValueLength, result.ContentAs<int>()); // decoded by the client's transcoder
        Assert.True(pool.Lent(ArrayOf(result.RawValue))); // and the body is rented

        var own = result with { RawValue = new byte[] { 1, 2, 3 } };
        Assert.Equal(3, own.ContentAs<int>());
        result.Dispose();
        Assert.True(result.IsDisposed);
        Assert.False(own.IsDisposed);
        Assert.Equal(3, own.ContentAs<int>());
        Assert.Equal(1, pool.Returned);
    }
}
