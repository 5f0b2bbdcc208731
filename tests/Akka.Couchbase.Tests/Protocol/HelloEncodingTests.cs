using System.Text;
using Akka.Couchbase.Protocol;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.Tests.Protocol;

/// <summary>HELLO request and reply contents (spec §2.6).</summary>
public class HelloEncodingTests
{
    [Fact]
    public void Features_are_big_endian_u16_codes_in_order()
    {
        var bytes = Hello.EncodeFeatures([HelloFeature.XError, HelloFeature.SelectBucket, HelloFeature.Json, HelloFeature.ClustermapChangeNotificationBrief]);

        Assert.Equal(new byte[] { 0x00, 0x07, 0x00, 0x08, 0x00, 0x0b, 0x00, 0x1f }, bytes);
    }

    [Fact]
    public void A_reply_decodes_to_the_enabled_features_keeping_unknown_codes()
    {
        var features = Hello.DecodeFeatures(new byte[] { 0x00, 0x0b, 0x00, 0x07, 0x00, 0x22 });

        Assert.Equal([HelloFeature.Json, HelloFeature.XError, (HelloFeature)0x22], features);
        Assert.Empty(Hello.DecodeFeatures(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void A_reply_of_odd_length_is_a_protocol_error() =>
        Assert.Throws<ProtocolException>(() => Hello.DecodeFeatures(new byte[] { 0x00, 0x07, 0x00 }));

    [Fact]
    public void Features_round_trip()
    {
        var all = Enum.GetValues<HelloFeature>();

        Assert.Equal(all, Hello.DecodeFeatures(Hello.EncodeFeatures(all)));
    }

    [Fact]
    public void The_agent_key_is_the_json_form_with_a_and_i()
    {
        var key = Hello.AgentKey("akka-couchbase/1.0 \"beta\"", "66388CF5BFCF7522/18CC8791579B567C");

        Assert.Equal("{\"a\":\"akka-couchbase/1.0 \\\"beta\\\"\",\"i\":\"66388CF5BFCF7522/18CC8791579B567C\"}", key);
        var parsed = JObject.Parse(key);
        Assert.Equal("akka-couchbase/1.0 \"beta\"", (string)parsed["a"]!);
    }

    [Fact]
    public void A_long_agent_is_cut_to_200_characters()
    {
        var key = Hello.AgentKey(new string('x', 500), "1/2");

        Assert.Equal(200, ((string)JObject.Parse(key)["a"]!).Length);
    }

    [Fact]
    public void Connection_ids_are_two_16_digit_hex_halves()
    {
        Assert.Equal("66388CF5BFCF7522/18CC8791579B567C", Hello.ConnectionId(0x66388CF5BFCF7522, 0x18CC8791579B567C));
        Assert.Equal("0000000000000001/00000000000000FF", Hello.ConnectionId(1, 255));
    }

    [Fact]
    public void A_whole_hello_request_frame_has_the_agent_as_key_and_features_as_value()
    {
        var key = Encoding.UTF8.GetBytes(Hello.AgentKey("a", "b"));   // {"a":"a","i":"b"} = 17 bytes
        var frame = FrameWriter.Request(Opcode.Hello, 1, key: key, value: Hello.EncodeFeatures([HelloFeature.Json]));

        Assert.Equal(Convert.FromHexString(
            "801f0011000000000000001300000001" + "0000000000000000" +
            Convert.ToHexString(Encoding.ASCII.GetBytes("{\"a\":\"a\",\"i\":\"b\"}")) + "000b"), frame);
    }
}
