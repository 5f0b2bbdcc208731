using System.Buffers.Binary;
using Akka.Couchbase.Protocol;
using CsCheck;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Fuzzing;

/// <summary>
/// The frame decoder reads what a server (or anything at its address) sends. Its contract: bytes that are not
/// MCBP frames are a <see cref="ProtocolException"/> and nothing else, after which the decoder refuses all input;
/// a body longer than the configured maximum is refused before it is allocated; how the bytes are split into
/// reads, and which of its entry points reads them, never changes the frames.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class FrameDecoderFuzzTests(ITestOutputHelper output)
{
    private const int Slack = 64 * 1024; // exceptions, their messages and stack traces, the runtime's own allocations

    // ---- properties -------------------------------------------------------------------------------------------

    [Fact]
    public Task A_valid_stream_split_at_any_points_yields_the_frames_that_were_sent() =>
        Fuzz.Check(Gen.Select(Frames, Reads), c =>
        {
            var (frames, reads) = c;
            var stream = Concat(frames);
            var expected = frames.Select(f => f.Expected).ToList();

            var whole = new FrameDecoder(MaxBody);
            var wholeFrames = new List<RawFrame>();
            whole.FeedShared(stream, 0, stream.Length, wholeFrames);
            Assert.Equal(expected, wholeFrames.Select(Decoded.Of));

            var split = new FrameDecoder(MaxBody);
            Assert.Equal(expected, FeedInReads(split, stream, reads));
            Assert.False(split.HasPartialFrame);
        }, output, c => Print(Concat(c.Item1), c.Item2));

    [Fact]
    public Task Random_bytes_are_frames_or_a_ProtocolException_and_nothing_else() =>
        Fuzz.Check(Gen.Select(Gen.Byte.Array[0, 600], Reads, Limits), c => DecodeAnything(c.Item1, c.Item2, c.Item3),
            output, c => Print(c.Item1, c.Item2));

    [Fact]
    public Task Mutated_valid_streams_are_frames_or_a_ProtocolException_and_nothing_else() =>
        Fuzz.Check(Gen.Select(MutatedStream, Reads, Limits), c => DecodeAnything(c.Item1, c.Item2, c.Item3),
            output, c => Print(c.Item1, c.Item2));

    [Fact]
    public Task A_header_allocates_at_most_the_body_it_announces_and_nothing_when_that_exceeds_the_limit() =>
        Fuzz.Check(Gen.Select(Gen.Int[1 << 20, 256 << 20], Gen.UInt, Gen.Int[0, Frame.HeaderSize], Gen.Bool,
            Gen.OneOf<byte>(Magic.Response, Magic.AltResponse, Magic.ServerRequest)), c =>
        {
            var (limit, claimSeed, firstRead, shared, magic) = c;
            // Half the cases claim more than the limit, half a body within it (of at most 4 MiB, to keep cases fast).
            var over = (claimSeed & 1) == 0;
            var claim = over
                ? (uint)limit + 1 + claimSeed % (uint.MaxValue - (uint)limit)
                : claimSeed % (uint)Math.Min(limit, 4 << 20);
            var header = new byte[Frame.HeaderSize];
            header[0] = magic;
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), claim);

            var decoder = new FrameDecoder(limit);
            var frames = new List<RawFrame>(4);
            var refused = false;
            var allocated = Fuzz.AllocatedBy(() => refused = !Fuzz.OnlyDocumented(() =>
            {
                if (shared)
                {
                    decoder.FeedShared(header, 0, firstRead, frames);
                    decoder.FeedShared(header, firstRead, header.Length - firstRead, frames);
                }
                else
                {
                    decoder.FeedCopying(header.AsSpan(0, firstRead), frames);
                    decoder.FeedCopying(header.AsSpan(firstRead), frames);
                }
            }, e => e is ProtocolException));

            Assert.Equal(over, refused);
            Assert.True(allocated <= (over ? 0 : claim) + Slack,
                $"a header claiming {claim} bytes (limit {limit}) allocated {allocated} bytes");
            if (!over) Assert.Equal(claim > 0, decoder.HasPartialFrame);
        }, output);

    // ---- the contract, checked on anything ----------------------------------------------------------------------

    /// <summary>
    /// Feeds <paramref name="input"/> in <paramref name="reads"/>: every call returns or throws a ProtocolException;
    /// after one, every call throws one; the frames are well formed and within the limit; allocation is bounded by
    /// the input and one body of the maximum size.
    /// </summary>
    private static void DecodeAnything(byte[] input, Read[] reads, int limit)
    {
        var decoder = new FrameDecoder(limit);
        var raw = new List<RawFrame>(input.Length / Frame.HeaderSize + 1);
        var frames = new List<Frame>(input.Length / Frame.HeaderSize + 1);
        long allocated = 0;
        var failed = false;
        foreach (var (start, length, how) in Chunks(input, reads))
        {
            var chunk = Chunk(input, start, length, how, out var offset);
            var ok = true;
            allocated += Fuzz.AllocatedBy(() => ok = Fuzz.OnlyDocumented(() =>
            {
                switch (how)
                {
                    case Entry.Shared: decoder.FeedShared(chunk, offset, length, raw); break;
                    case Entry.Copying: decoder.FeedCopying(chunk.AsSpan(offset, length), raw); break;
                    default: decoder.Feed(chunk.AsSpan(offset, length), frames); break;
                }
            }, e => e is ProtocolException));
            Assert.False(failed && ok, "the decoder accepted bytes after a ProtocolException");
            failed |= !ok;
            if (how != Entry.Shared) Array.Fill(chunk, (byte)0xEE); // the caller reuses its buffer
        }
        if (failed)
        {
            Assert.Throws<ProtocolException>(() => decoder.FeedCopying(new byte[] { Magic.Response }, raw));
            Assert.Throws<ProtocolException>(() => decoder.FeedShared(new byte[Frame.HeaderSize], 0, 0, raw));
        }

        Assert.True(allocated <= 8L * input.Length + limit + Slack,
            $"{input.Length} bytes of input allocated {allocated} bytes (limit {limit})");
        var decoded = raw.Select(Decoded.Of).Concat(frames.Select(Decoded.Of)).ToList();
        foreach (var f in raw) WellFormed(f.ToFrame(), limit);
        foreach (var f in frames) WellFormed(f, limit);
        Assert.True(decoded.Sum(d => Frame.HeaderSize + d.Body.Length / 2) <= input.Length);
    }

    private static void WellFormed(Frame f, int limit)
    {
        Assert.InRange(f.BodyLength, 0, limit);
        Assert.Equal(f.FramingExtrasLength, f.FramingExtras.Length);
        Assert.Equal(f.ExtrasLength, f.Extras.Length);
        Assert.Equal(f.KeyLength, f.Key.Length);
        Assert.Equal(f.BodyLength, f.FramingExtrasLength + f.ExtrasLength + f.KeyLength + f.Value.Length);
        Assert.Equal(f.ValueLength, f.ValueMemory.Length);
        _ = f.FlagsFromExtras;
        _ = f.KeyString;
        Assert.NotEmpty(f.ToString());
    }

    // ---- feeding ------------------------------------------------------------------------------------------------

    private enum Entry { Shared, Copying, Public }

    /// <summary>One read: where it ends (a fraction of the stream, in 1/65536) and which entry point receives it.</summary>
    private readonly record struct Read(ushort End, Entry How);

    private static readonly Gen<Read[]> Reads =
        Gen.Select(Gen.UShort, Gen.Enum<Entry>(), (end, how) => new Read(end, how)).Array[0, 12];

    private static IEnumerable<(int Start, int Length, Entry How)> Chunks(byte[] stream, Read[] reads)
    {
        var cuts = reads.Select(r => (At: (int)((long)r.End * stream.Length / 65536), r.How)).OrderBy(r => r.At).ToList();
        var start = 0;
        var how = Entry.Shared;
        foreach (var (at, next) in cuts)
        {
            yield return (start, at - start, how);
            start = at;
            how = next;
        }
        yield return (start, stream.Length - start, how);
    }

    /// <summary>The chunk in a fresh array with other bytes around it, which the decoder must never read.</summary>
    private static byte[] Chunk(byte[] stream, int start, int length, Entry how, out int offset)
    {
        offset = how == Entry.Shared ? 7 : 3;
        var buffer = new byte[offset + length + 5];
        Array.Fill(buffer, (byte)0x81);
        Array.Copy(stream, start, buffer, offset, length);
        return buffer;
    }

    /// <summary>Feeds the stream in reads; the frames are read only at the end, after the callers' buffers were reused.</summary>
    private static List<Decoded> FeedInReads(FrameDecoder decoder, byte[] stream, Read[] reads)
    {
        var frames = new List<object>(); // RawFrame or Frame, in the order decoded
        var raw = new List<RawFrame>();
        var typed = new List<Frame>();
        foreach (var (start, length, how) in Chunks(stream, reads))
        {
            var chunk = Chunk(stream, start, length, how, out var offset);
            raw.Clear();
            typed.Clear();
            switch (how)
            {
                case Entry.Shared:
                    decoder.FeedShared(chunk, offset, length, raw);
                    break;
                case Entry.Copying:
                    decoder.FeedCopying(chunk.AsSpan(offset, length), raw);
                    break;
                default:
                    decoder.Feed(chunk.AsSpan(offset, length), typed);
                    break;
            }
            frames.AddRange(raw.Cast<object>());
            frames.AddRange(typed);
            if (how != Entry.Shared) Array.Fill(chunk, (byte)0xEE); // the caller reuses its buffer: the frames must not
        }
        return frames.Select(f => f is Frame frame ? Decoded.Of(frame) : Decoded.Of((RawFrame)f)).ToList();
    }

    // ---- valid frames and their mutations --------------------------------------------------------------------------

    private const int MaxBody = 4096;

    private static readonly Gen<int> Limits = Gen.OneOf<int>(1, 24, 300, MaxBody, 1 << 20);

    /// <summary>What a decoded frame says, comparable by value.</summary>
    private sealed record Decoded(byte Magic, byte Opcode, int Framing, int Extras, int Key, byte DataType,
        ushort VBucketOrStatus, uint Opaque, ulong Cas, string Body)
    {
        public static Decoded Of(RawFrame f) => new(f.Magic, (byte)f.Opcode, f.FramingExtrasLength, f.ExtrasLength,
            f.KeyLength, (byte)f.DataType, f.VBucketOrStatus, f.Opaque, f.Cas, Convert.ToHexString(f.Buffer, f.Offset, f.Length));

        public static Decoded Of(Frame f) => new(f.Magic, (byte)f.Opcode, f.FramingExtrasLength, f.ExtrasLength,
            f.KeyLength, (byte)f.DataType, f.VBucketOrStatus, f.Opaque, f.Cas, Convert.ToHexString(f.BodySpan));
    }

    private sealed record FrameSpec(byte Magic, byte Opcode, byte[] Framing, byte[] Extras, byte[] Key, byte[] Value,
        byte DataType, ushort VBucketOrStatus, uint Opaque, ulong Cas)
    {
        public int BodyLength => Framing.Length + Extras.Length + Key.Length + Value.Length;

        public byte[] Encode()
        {
            var bytes = new byte[Frame.HeaderSize + BodyLength];
            bytes[0] = Magic;
            bytes[1] = Opcode;
            if (Akka.Couchbase.Protocol.Magic.IsFlexible(Magic)) { bytes[2] = (byte)Framing.Length; bytes[3] = (byte)Key.Length; }
            else BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)Key.Length);
            bytes[4] = (byte)Extras.Length;
            bytes[5] = DataType;
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(6), VBucketOrStatus);
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), (uint)BodyLength);
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(12), Opaque);
            BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(16), Cas);
            var at = Frame.HeaderSize;
            foreach (var part in new[] { Framing, Extras, Key, Value })
            {
                part.CopyTo(bytes, at);
                at += part.Length;
            }
            return bytes;
        }

        public Decoded Expected => new(Magic, Opcode, Framing.Length, Extras.Length, Key.Length, DataType,
            VBucketOrStatus, Opaque, Cas, Convert.ToHexString(Encode(), Frame.HeaderSize, BodyLength));
    }

    private static readonly Gen<byte[]> Bytes = Gen.Frequency(
        (3, Gen.Byte.Array[0, 8]), (2, Gen.Byte.Array[0, 64]), (1, Gen.Byte.Array[0, 600]));

    private static readonly Gen<FrameSpec> ValidFrame =
        Gen.OneOf<byte>(Magic.Request, Magic.Response, Magic.AltRequest, Magic.AltResponse, Magic.ServerRequest,
                Magic.ServerResponse)
            .SelectMany(magic => Gen.Select(Gen.Byte, Magic.IsFlexible(magic) ? Gen.Byte.Array[0, 16] : Gen.Const(Array.Empty<byte>()),
                Gen.Byte.Array[0, 24], Gen.Byte.Array[0, 250], Bytes, Gen.Byte, Gen.UShort, Gen.UInt, Gen.ULong,
                (op, framing, extras, key, value, type, vbs, opaque, cas) =>
                    new FrameSpec(magic, op, framing, extras, key, value, type, vbs, opaque, cas)))
            .Where(f => f.BodyLength <= MaxBody);

    private static readonly Gen<FrameSpec[]> Frames = ValidFrame.Array[0, 8];

    private static byte[] Concat(FrameSpec[] frames) => frames.SelectMany(f => f.Encode()).ToArray();

    private enum Mutation { FlipBits, Truncate, Insert, Delete, LengthField, KeyLength, ExtrasLength, FramingLength, MagicByte }

    private static readonly uint[] ExtremeLengths =
        [0, 1, 23, 24, 299, 300, 301, MaxBody, MaxBody + 1, 1 << 20, (1 << 20) + 1, int.MaxValue, 0x80000000, uint.MaxValue - 23, uint.MaxValue];

    private static readonly Gen<byte[]> MutatedStream =
        Gen.Select(Frames, Gen.Select(Gen.Enum<Mutation>(), Gen.Int[0, int.MaxValue], Gen.UInt).Array[1, 4],
            (frames, mutations) =>
            {
                var bytes = Concat(frames);
                var starts = new List<int>();
                for (int i = 0, at = 0; i < frames.Length; at += Frame.HeaderSize + frames[i].BodyLength, i++) starts.Add(at);
                foreach (var (kind, at, value) in mutations) bytes = Mutate(bytes, starts, kind, at, value);
                return bytes;
            });

    private static byte[] Mutate(byte[] bytes, List<int> headers, Mutation kind, int at, uint value)
    {
        if (bytes.Length == 0) return kind == Mutation.Insert ? BitConverter.GetBytes(value) : bytes;
        var pos = at % bytes.Length;
        var header = headers.Count == 0 ? -1 : headers[at % headers.Count];
        if (header >= 0 && header + Frame.HeaderSize > bytes.Length) header = -1;
        var copy = bytes.ToArray();
        switch (kind)
        {
            case Mutation.FlipBits:
                copy[pos] ^= (byte)(value | 1);
                return copy;
            case Mutation.Truncate:
                return bytes.AsSpan(0, pos).ToArray();
            case Mutation.Insert:
                return [.. bytes.AsSpan(0, pos), .. BitConverter.GetBytes(value).AsSpan(0, (int)(value % 5)), .. bytes.AsSpan(pos)];
            case Mutation.Delete:
                return [.. bytes.AsSpan(0, pos), .. bytes.AsSpan(Math.Min(bytes.Length, pos + 1 + (int)(value % 30)))];
            case Mutation.LengthField when header >= 0:
                BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(header + 8),
                    value % 3 == 0 ? value : ExtremeLengths[value % ExtremeLengths.Length]);
                return copy;
            case Mutation.KeyLength when header >= 0:
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(header + 2), value % 2 == 0 ? (ushort)value : ushort.MaxValue);
                return copy;
            case Mutation.ExtrasLength when header >= 0:
                copy[header + 4] = value % 2 == 0 ? (byte)value : byte.MaxValue;
                return copy;
            case Mutation.FramingLength when header >= 0:
                copy[header + 2] = value % 2 == 0 ? (byte)value : byte.MaxValue;
                return copy;
            case Mutation.MagicByte when header >= 0:
                copy[header] = (byte)value;
                return copy;
            default:
                return copy;
        }
    }

    private static string Print(byte[] input, Read[] reads) =>
        $"input ({input.Length} bytes) {Convert.ToHexString(input)}; reads [{string.Join(", ", reads.Select(r => $"{r.End}:{r.How}"))}]";
}
