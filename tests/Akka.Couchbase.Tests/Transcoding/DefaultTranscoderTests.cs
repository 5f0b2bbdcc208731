using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Transcoding;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.Tests.Transcoding;

/// <summary>What the default transcoder writes, and how it reads values written by itself and by other SDKs.</summary>
public class DefaultTranscoderTests
{
    private sealed record Airline(string Name, int Id, string[] Tags);

    private static readonly DefaultTranscoder Transcoder = DefaultTranscoder.Instance;

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
    private static string Text(EncodedValue v) => Encoding.UTF8.GetString(v.Bytes.Span);

    [Fact]
    public void Bytes_are_stored_as_binary_without_copying()
    {
        var bytes = new byte[] { 0, 1, 2, 0xff };

        var encoded = Transcoder.Encode(bytes);

        Assert.Equal(CommonFlags.Binary, encoded.Flags);
        Assert.Equal(DataType.Raw, encoded.DataType);
        Assert.True(encoded.Bytes.Span == bytes.AsSpan());
        Assert.Equal(bytes, Transcoder.Encode<ReadOnlyMemory<byte>>(bytes).Bytes.ToArray());
        Assert.Equal(CommonFlags.Binary, Transcoder.Encode<ReadOnlyMemory<byte>>(bytes).Flags);
        Assert.Equal(CommonFlags.Binary, Transcoder.Encode<object>(bytes).Flags);
    }

    [Fact]
    public void Strings_are_stored_as_utf8_text_not_json()
    {
        var encoded = Transcoder.Encode("héllo \"world\"");

        Assert.Equal(CommonFlags.String, encoded.Flags);
        Assert.Equal(DataType.Raw, encoded.DataType);
        Assert.Equal("héllo \"world\"", Text(encoded));
    }

    [Fact]
    public void Objects_and_numbers_are_stored_as_json_with_the_json_datatype()
    {
        var poco = Transcoder.Encode(new Airline("Air Bob", 10, ["cheap"]));
        var number = Transcoder.Encode(42);
        var nothing = Transcoder.Encode<Airline?>(null);

        Assert.Equal(CommonFlags.Json, poco.Flags);
        Assert.Equal(DataType.Json, poco.DataType);
        Assert.Equal("{\"Name\":\"Air Bob\",\"Id\":10,\"Tags\":[\"cheap\"]}", Text(poco));
        Assert.Equal("42", Text(number));
        Assert.Equal(CommonFlags.Json, number.Flags);
        Assert.Equal("null", Text(nothing));
        Assert.Equal(CommonFlags.Json, nothing.Flags);
    }

    [Fact]
    public void Values_round_trip()
    {
        var airline = new Airline("Air Bob", 10, ["cheap", "late"]);

        T RoundTrip<T>(T value)
        {
            var e = Transcoder.Encode(value);
            return Transcoder.Decode<T>(e.Bytes, e.Flags, e.DataType);
        }

        var back = RoundTrip(airline);
        Assert.Equal(airline.Name, back.Name);
        Assert.Equal(airline.Tags, back.Tags);
        Assert.Equal("plain text, not \"json\"", RoundTrip("plain text, not \"json\""));
        Assert.Equal(new byte[] { 1, 2, 3 }, RoundTrip(new byte[] { 1, 2, 3 }));
        Assert.Equal(-12.5, RoundTrip(-12.5));
        Assert.Equal(long.MaxValue, RoundTrip(long.MaxValue));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), RoundTrip(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc)));
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1 }, RoundTrip(new Dictionary<string, int> { ["a"] = 1 }));
    }

    [Fact]
    public void Raw_targets_get_the_bytes_whatever_the_flags()
    {
        var bytes = Utf8("{\"a\":1}");

        var copy = Transcoder.Decode<byte[]>(bytes, CommonFlags.Json, DataType.Json);
        var same = Transcoder.Decode<ReadOnlyMemory<byte>>(bytes, CommonFlags.Json, DataType.Json);

        Assert.Equal(bytes, copy);
        Assert.NotSame(bytes, copy);
        Assert.True(same.Span == bytes.AsSpan());
    }

    [Fact]
    public void Php_json_flags_0x02000006_are_read_as_json()
    {
        var doc = Transcoder.Decode<JObject>(Utf8("{\"name\":\"x\",\"n\":3}"), 0x02000006, DataType.Json);
        var airline = Transcoder.Decode<Airline>(Utf8("{\"Name\":\"PHP air\",\"Id\":7,\"Tags\":[]}"), 0x02000006, DataType.Raw);

        Assert.Equal(3, (int)doc["n"]!);
        Assert.Equal("PHP air", airline.Name);
        Assert.Equal(7, airline.Id);
    }

    [Fact]
    public void Dotnet_legacy_string_flags_0x04000012_are_read_as_text()
    {
        Assert.Equal("hello from .NET", Transcoder.Decode<string>(Utf8("hello from .NET"), 0x04000012, DataType.Raw));
        Assert.Equal("hello from .NET", Transcoder.Decode<object>(Utf8("hello from .NET"), 0x04000012, DataType.Raw));
        Assert.Equal(42, Transcoder.Decode<int>(Utf8("42"), 0x04000012, DataType.Raw));
    }

    [Fact]
    public void Java_legacy_binary_flags_0x03000800_are_read_as_bytes()
    {
        var bytes = new byte[] { 0xca, 0xfe, 0xba, 0xbe };

        Assert.Equal(bytes, Transcoder.Decode<byte[]>(bytes, 0x03000800, DataType.Raw));
        Assert.Equal(bytes, Assert.IsType<byte[]>(Transcoder.Decode<object>(bytes, 0x03000800, DataType.Raw)));
        Assert.Equal("hi", Transcoder.Decode<string>(Utf8("hi"), 0x03000800, DataType.Raw));
        var ex = Assert.Throws<TranscodingException>(() => Transcoder.Decode<Airline>(bytes, 0x03000800, DataType.Raw));
        Assert.Equal(0x03000800u, ex.Flags);
        Assert.Contains("0x03000800", ex.Message);
        Assert.Contains(nameof(Airline), ex.Message);
    }

    [Fact]
    public void Legacy_flags_zero_are_read_as_json_for_objects_and_as_text_for_strings()
    {
        var airline = Transcoder.Decode<Airline>(Utf8("{\"Name\":\"old\",\"Id\":1,\"Tags\":null}"), 0, DataType.Raw);

        Assert.Equal("old", airline.Name);
        Assert.Equal(5, Transcoder.Decode<int>(Utf8("5"), 0, DataType.Raw));
        Assert.Equal("\"quoted\"", Transcoder.Decode<string>(Utf8("\"quoted\""), 0, DataType.Raw));
        Assert.Equal("quoted", Transcoder.Decode<string>(Utf8("\"quoted\""), 0, DataType.Json));
        Assert.Equal("not json at all", Transcoder.Decode<string>(Utf8("not json at all"), 0, DataType.Raw));
    }

    [Fact]
    public void A_json_string_literal_read_as_string_gives_its_value_other_json_gives_the_text()
    {
        Assert.Equal("a \"b\" é", Transcoder.Decode<string>(Utf8("\"a \\\"b\\\" \\u00e9\""), 0x02000000, DataType.Json));
        Assert.Equal("{\"a\":1}", Transcoder.Decode<string>(Utf8("{\"a\":1}"), 0x02000000, DataType.Json));
        Assert.Equal("42", Transcoder.Decode<string>(Utf8("42"), 0x02000001, DataType.Json));
        Assert.Equal("\"a\" \"b\"", Transcoder.Decode<string>(Utf8("\"a\" \"b\""), 0x02000000, DataType.Json));
    }

    [Fact]
    public void Flags_win_over_datatype()
    {
        // JSON datatype but String flags: the value is the text as stored, quotes included.
        Assert.Equal("\"x\"", Transcoder.Decode<string>(Utf8("\"x\""), CommonFlags.String, DataType.Json));
    }

    [Fact]
    public void Xattrs_in_front_of_the_body_are_skipped()
    {
        var body = Utf8("{\"a\":1}");
        var xattrs = new byte[] { 0, 0, 0, 3, 9, 9, 9 };

        var doc = Transcoder.Decode<JObject>(xattrs.Concat(body).ToArray(), CommonFlags.Json, DataType.Json | DataType.Xattr);

        Assert.Equal(1, (int)doc["a"]!);
    }

    [Fact]
    public void Undecodable_values_throw_TranscodingException_naming_flags_and_type()
    {
        var broken = Assert.Throws<TranscodingException>(() => Transcoder.Decode<Airline>(Utf8("{\"Name\":"), 0x02000000, DataType.Json));
        var wrongType = Assert.Throws<TranscodingException>(() => Transcoder.Decode<int>(Utf8("\"abc\""), 0x02000000, DataType.Json));
        var empty = Assert.Throws<TranscodingException>(() => Transcoder.Decode<Airline>(ReadOnlyMemory<byte>.Empty, 0x02000000, DataType.Json));
        var nullForInt = Assert.Throws<TranscodingException>(() => Transcoder.Decode<int>(Utf8("null"), 0x02000000, DataType.Json));
        var snappy = Assert.Throws<TranscodingException>(() => Transcoder.Decode<string>(Utf8("x"), 0x02000000, DataType.Snappy));

        Assert.Contains("0x02000000", broken.Message);
        Assert.Equal(typeof(Airline), broken.TargetType);
        Assert.NotNull(broken.InnerException);
        Assert.Contains("System.Int32", wrongType.Message);
        Assert.Equal(typeof(int), nullForInt.TargetType);
        Assert.Equal(typeof(Airline), empty.TargetType);
        Assert.Contains("Snappy", snappy.Message);
    }

    [Fact]
    public void Json_null_decodes_to_null_for_reference_types()
    {
        Assert.Null(Transcoder.Decode<Airline?>(Utf8("null"), CommonFlags.Json, DataType.Json));
        Assert.Null(Transcoder.Decode<int?>(Utf8("null"), CommonFlags.Json, DataType.Json));
    }

    [Fact]
    public void Date_like_strings_stay_strings_in_untyped_json()
    {
        var doc = Transcoder.Decode<JObject>(Utf8("{\"when\":\"2024-01-02T03:04:05Z\"}"), CommonFlags.Json, DataType.Json);

        Assert.Equal(JTokenType.String, doc["when"]!.Type);
    }

    [Fact]
    public void Trailing_content_after_json_is_refused() =>
        Assert.Throws<TranscodingException>(() => Transcoder.Decode<JObject>(Utf8("{\"a\":1} {\"b\":2}"), CommonFlags.Json, DataType.Json));
}
