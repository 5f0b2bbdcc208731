using System.Buffers.Binary;
using System.Text;
using Akka.Couchbase.Protocol;
using Xunit;

namespace Akka.Couchbase.Tests.Protocol;

/// <summary>
/// The MCBP frame codec against the worked frames of spec §1.6: encoding is byte-exact, decoding survives any
/// split of the byte stream, and malformed headers fail before anything large is allocated.
/// </summary>
public class FrameCodecTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "").Replace("\n", "").Replace("\r", ""));
    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    private const string GetFooHex =
        "80 00 00 03 00 00 00 33 00 00 00 03 00 00 00 2a 00 00 00 00 00 00 00 00 66 6f 6f";
    private const string SetFooHex =
        "80 01 00 03 08 01 00 33 00 00 00 12 00 00 00 2b 00 00 00 00 00 00 00 00 " +
        "02 00 00 00 00 00 00 00 66 6f 6f 7b 22 61 22 3a 31 7d";
    private const string AltSetFooHex =
        "08 01 02 03 08 01 00 33 00 00 00 14 00 00 00 2c 00 00 00 00 00 00 00 00 " +
        "11 01 02 00 00 00 00 00 00 00 66 6f 6f 7b 22 61 22 3a 31 7d";
    private const string GetResponseHex =
        "81 00 00 00 04 01 00 00 00 00 00 0b 00 00 00 2a 16 09 a8 e1 c3 a2 00 00 " +
        "02 00 00 00 7b 22 61 22 3a 31 7d";
    private const string NotMyVBucketHex =
        "81 00 00 00 00 00 00 07 00 00 00 00 00 00 00 2a 00 00 00 00 00 00 00 00";
    private const string GetErrorMapHex =
        "80 fe 00 00 00 00 00 00 00 00 00 02 00 00 00 03 00 00 00 00 00 00 00 00 00 02";
    private const string SelectBucketHex =
        "80 89 00 07 00 00 00 00 00 00 00 07 00 00 00 04 00 00 00 00 00 00 00 00 64 65 66 61 75 6c 74";
    private const string GetClusterConfigHex =
        "80 b5 00 00 00 00 00 00 00 00 00 00 00 00 00 05 00 00 00 00 00 00 00 00";
    private const string IncrementHex =
        "80 05 00 07 14 00 00 00 00 00 00 1b 00 00 00 06 00 00 00 00 00 00 00 00 " +
        "00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 63 6f 75 6e 74 65 72";

    private static readonly byte[] JsonA1 = Ascii("{\"a\":1}");
    private static readonly byte[] SetExtras = Hex("02000000 00000000"); // flags 0x02000000, expiry 0

    // ---- encoding ---------------------------------------------------------------------------------------------

    [Fact]
    public void Get_request_is_encoded_exactly() =>
        Assert.Equal(Hex(GetFooHex), FrameWriter.Request(Opcode.Get, 0x2a, key: Ascii("foo"), vBucket: 51));

    [Fact]
    public void Set_request_with_flags_and_json_datatype_is_encoded_exactly() =>
        Assert.Equal(Hex(SetFooHex), FrameWriter.Request(Opcode.Set, 0x2b, extras: SetExtras, key: Ascii("foo"),
            value: JsonA1, vBucket: 51, dataType: DataType.Json));

    [Fact]
    public void Alt_request_with_durability_frame_info_is_encoded_exactly()
    {
        var framing = new byte[] { 0x11, 0x01 };
        var dest = new byte[FrameWriter.Size(framing.Length, SetExtras.Length, 3, JsonA1.Length)];

        var written = FrameWriter.Write(dest, Magic.AltRequest, Opcode.Set, DataType.Json, 51, 0x2c, 0, framing,
            SetExtras, Ascii("foo"), JsonA1);

        Assert.Equal(dest.Length, written);
        Assert.Equal(Hex(AltSetFooHex), dest);
    }

    [Fact]
    public void Get_response_is_encoded_exactly() =>
        Assert.Equal(Hex(GetResponseHex), FrameWriter.Response(Opcode.Get, KvStatus.Success, 0x2a,
            cas: 0x1609a8e1c3a20000, extras: Hex("02000000"), value: JsonA1, dataType: DataType.Json));

    [Fact]
    public void Not_my_vbucket_without_body_is_encoded_exactly() =>
        Assert.Equal(Hex(NotMyVBucketHex), FrameWriter.Response(Opcode.Get, KvStatus.NotMyVBucket, 0x2a));

    [Fact]
    public void Get_error_map_version_2_is_encoded_exactly() =>
        Assert.Equal(Hex(GetErrorMapHex), FrameWriter.Request(Opcode.GetErrorMap, 3, value: Hex("0002")));

    [Fact]
    public void Select_bucket_is_encoded_exactly() =>
        Assert.Equal(Hex(SelectBucketHex), FrameWriter.Request(Opcode.SelectBucket, 4, key: Ascii("default")));

    [Fact]
    public void Get_cluster_config_is_encoded_exactly() =>
        Assert.Equal(Hex(GetClusterConfigHex), FrameWriter.Request(Opcode.GetClusterConfig, 5));

    [Fact]
    public void Increment_with_delta_initial_and_expiry_is_encoded_exactly()
    {
        var extras = new byte[20];
        BinaryPrimitives.WriteUInt64BigEndian(extras, 1);               // delta
        BinaryPrimitives.WriteUInt64BigEndian(extras.AsSpan(8), 0);     // initial
        BinaryPrimitives.WriteUInt32BigEndian(extras.AsSpan(16), 0);    // expiry

        Assert.Equal(Hex(IncrementHex), FrameWriter.Request(Opcode.Increment, 6, extras: extras, key: Ascii("counter")));
    }

    [Fact]
    public void The_kv_engine_get_hello_world_example_round_trips()
    {
        var request = FrameWriter.Request(Opcode.Get, 0, key: Ascii("Hello"));
        var response = FrameWriter.Response(Opcode.Get, KvStatus.Success, 0, cas: 1, extras: Hex("deadbeef"), value: Ascii("World"));

        Assert.Equal(Hex("80 00 00 05 00 00 00 00 00 00 00 05 00 00 00 00 00 00 00 00 00 00 00 00 48 65 6c 6c 6f"), request);
        Assert.Equal(Hex("81 00 00 00 04 00 00 00 00 00 00 09 00 00 00 00 00 00 00 00 00 00 00 01 de ad be ef 57 6f 72 6c 64"), response);
        var frame = Assert.Single(Decode(response));
        Assert.Equal(0xdeadbeefu, frame.FlagsFromExtras);
        Assert.Equal("World", Encoding.ASCII.GetString(frame.Value));
    }

    // ---- decoding ---------------------------------------------------------------------------------------------

    private static List<Frame> Decode(byte[] bytes, int max = 20 * 1024 * 1024)
    {
        var output = new List<Frame>();
        new FrameDecoder(max).Feed(bytes, output);
        return output;
    }

    [Fact]
    public void Get_response_decodes_to_its_fields()
    {
        var frame = Assert.Single(Decode(Hex(GetResponseHex)));

        Assert.Equal(Magic.Response, frame.Magic);
        Assert.True(frame.IsResponse);
        Assert.Equal(Opcode.Get, frame.Opcode);
        Assert.Equal(KvStatus.Success, frame.Status);
        Assert.Equal(DataType.Json, frame.DataType);
        Assert.Equal(0x2au, frame.Opaque);
        Assert.Equal(0x1609a8e1c3a20000ul, frame.Cas);
        Assert.Equal(4, frame.ExtrasLength);
        Assert.Equal(0x02000000u, frame.FlagsFromExtras);
        Assert.Equal(0, frame.KeyLength);
        Assert.Equal(JsonA1, frame.Value.ToArray());
        Assert.Equal(JsonA1, frame.ValueMemory.ToArray());
    }

    [Fact]
    public void Not_my_vbucket_decodes_with_its_status_and_no_body()
    {
        var frame = Assert.Single(Decode(Hex(NotMyVBucketHex)));

        Assert.Equal(KvStatus.NotMyVBucket, frame.Status);
        Assert.Equal(0x2au, frame.Opaque);
        Assert.Empty(frame.Body);
        Assert.Equal(0, frame.ValueLength);
    }

    [Fact]
    public void Alt_request_decodes_framing_extras_extras_key_and_value()
    {
        var frame = Assert.Single(Decode(Hex(AltSetFooHex)));

        Assert.Equal(Magic.AltRequest, frame.Magic);
        Assert.False(frame.IsResponse);
        Assert.Equal(51, frame.VBucket);
        Assert.Equal(new byte[] { 0x11, 0x01 }, frame.FramingExtras.ToArray());
        Assert.Equal(SetExtras, frame.Extras.ToArray());
        Assert.Equal("foo", frame.KeyString);
        Assert.Equal(JsonA1, frame.Value.ToArray());
    }

    private static readonly string[] AllWorkedFrames =
    [
        GetFooHex, SetFooHex, AltSetFooHex, GetResponseHex, NotMyVBucketHex, GetErrorMapHex, SelectBucketHex,
        GetClusterConfigHex, IncrementHex,
    ];

    private static byte[] Stream() => AllWorkedFrames.SelectMany(Hex).ToArray();

    private static void AssertAllWorkedFrames(IReadOnlyList<Frame> frames)
    {
        Assert.Equal(AllWorkedFrames.Length, frames.Count);
        uint[] opaques = [0x2a, 0x2b, 0x2c, 0x2a, 0x2a, 3, 4, 5, 6];
        Opcode[] opcodes = [Opcode.Get, Opcode.Set, Opcode.Set, Opcode.Get, Opcode.Get, Opcode.GetErrorMap,
            Opcode.SelectBucket, Opcode.GetClusterConfig, Opcode.Increment];
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.Equal(opaques[i], frames[i].Opaque);
            Assert.Equal(opcodes[i], frames[i].Opcode);
            Assert.Equal(Hex(AllWorkedFrames[i]).Length - Frame.HeaderSize, frames[i].Body.Length);
        }
        Assert.Equal("counter", frames[8].KeyString);
        Assert.Equal("default", frames[6].KeyString);
    }

    [Fact]
    public void Many_frames_in_one_buffer_all_come_out_in_order()
    {
        var decoder = new FrameDecoder(1024);
        var output = new List<Frame>();

        decoder.Feed(Stream(), output);

        AssertAllWorkedFrames(output);
        Assert.False(decoder.HasPartialFrame);
    }

    [Fact]
    public void A_stream_split_at_every_byte_boundary_decodes_the_same()
    {
        var stream = Stream();
        for (var cut = 0; cut <= stream.Length; cut++)
        {
            var decoder = new FrameDecoder(1024);
            var output = new List<Frame>();

            decoder.Feed(stream.AsSpan(0, cut), output);
            decoder.Feed(stream.AsSpan(cut), output);

            AssertAllWorkedFrames(output);
            Assert.False(decoder.HasPartialFrame);
        }
    }

    [Fact]
    public void A_stream_fed_one_byte_at_a_time_decodes_the_same()
    {
        var stream = Stream();
        var decoder = new FrameDecoder(1024);
        var output = new List<Frame>();

        var ends = new List<int>();
        var end = 0;
        foreach (var hex in AllWorkedFrames) ends.Add(end += Hex(hex).Length);

        for (var i = 0; i < stream.Length; i++)
        {
            decoder.Feed(stream.AsSpan(i, 1), output);
            // A frame comes out exactly when its last byte has been fed, not before.
            Assert.Equal(ends.Count(e => e <= i + 1), output.Count);
            Assert.Equal(!ends.Contains(i + 1), decoder.HasPartialFrame);
        }

        AssertAllWorkedFrames(output);
    }

    [Fact]
    public void A_partial_frame_is_held_until_its_last_byte_arrives()
    {
        var bytes = Hex(GetResponseHex);
        var decoder = new FrameDecoder(1024);
        var output = new List<Frame>();

        decoder.Feed(bytes.AsSpan(0, bytes.Length - 1), output);
        Assert.Empty(output);
        Assert.True(decoder.HasPartialFrame);

        decoder.Feed(bytes.AsSpan(bytes.Length - 1), output);
        Assert.Single(output);
        Assert.False(decoder.HasPartialFrame);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x7f)]
    [InlineData(0x84)]
    [InlineData(0xff)]
    public void An_unknown_magic_byte_is_a_protocol_error_and_the_decoder_stays_failed(byte magic)
    {
        var bytes = Hex(GetFooHex);
        bytes[0] = magic;
        var decoder = new FrameDecoder(1024);
        var output = new List<Frame>();

        var ex = Assert.Throws<ProtocolException>(() => decoder.Feed(bytes, output));

        Assert.Contains($"0x{magic:x2}", ex.Message);
        Assert.Empty(output);
        Assert.Throws<ProtocolException>(() => decoder.Feed(Hex(GetFooHex), output));
    }

    [Fact]
    public void A_body_over_the_maximum_fails_on_the_header_before_allocating_it()
    {
        var header = Hex(NotMyVBucketHex);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), 0x7fffffff); // claims a 2 GiB body
        var decoder = new FrameDecoder(1024 * 1024);
        var output = new List<Frame>();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ProtocolException>(() => decoder.Feed(header, output));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("2147483647", ex.Message);
        Assert.True(allocated < 256 * 1024, $"allocated {allocated} bytes while refusing the frame");
    }

    [Fact]
    public void A_body_length_above_int_max_is_refused_too()
    {
        var header = Hex(NotMyVBucketHex);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), 0xffffffff);

        Assert.Throws<ProtocolException>(() => new FrameDecoder(int.MaxValue).Feed(header, new List<Frame>()));
    }

    [Fact]
    public void A_body_exactly_at_the_maximum_is_accepted()
    {
        var bytes = Hex(GetResponseHex); // body 11 bytes

        Assert.Single(Decode(bytes, max: 11));
        Assert.Throws<ProtocolException>(() => Decode(bytes, max: 10));
    }

    [Fact]
    public void Extras_and_key_longer_than_the_body_are_a_protocol_error()
    {
        var bytes = Hex(SetFooHex);
        bytes[3] = 0x20; // key length 32, but the body is only 18 bytes

        var ex = Assert.Throws<ProtocolException>(() => Decode(bytes));

        Assert.Contains("exceed the body length", ex.Message);
    }

    [Fact]
    public void Framing_extras_longer_than_the_body_are_a_protocol_error_in_flexible_frames()
    {
        var bytes = Hex(AltSetFooHex);
        bytes[2] = 0x20; // framing extras 32 bytes, body 20

        Assert.Throws<ProtocolException>(() => Decode(bytes));
    }

    [Fact]
    public void Extras_longer_than_the_body_are_a_protocol_error_in_responses()
    {
        var bytes = Hex(NotMyVBucketHex);
        bytes[4] = 4; // 4 bytes of extras in an empty body

        Assert.Throws<ProtocolException>(() => Decode(bytes));
    }

    [Fact]
    public void An_encoded_frame_decodes_back_to_the_same_parts()
    {
        var extras = Hex("0000000100000e10");
        var encoded = FrameWriter.Request(Opcode.Add, 0xdeadbeef, extras, Ascii("key"), Ascii("value"), vBucket: 1023,
            cas: 0x0102030405060708, dataType: DataType.Json);

        var frame = Assert.Single(Decode(encoded));

        Assert.Equal(Opcode.Add, frame.Opcode);
        Assert.Equal(0xdeadbeefu, frame.Opaque);
        Assert.Equal(1023, frame.VBucket);
        Assert.Equal(0x0102030405060708ul, frame.Cas);
        Assert.Equal(DataType.Json, frame.DataType);
        Assert.Equal(extras, frame.Extras.ToArray());
        Assert.Equal("key", frame.KeyString);
        Assert.Equal("value", Encoding.ASCII.GetString(frame.Value));
    }
}
