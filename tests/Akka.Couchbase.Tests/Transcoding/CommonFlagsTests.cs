using Akka.Couchbase.Transcoding;
using Xunit;

namespace Akka.Couchbase.Tests.Transcoding;

/// <summary>Common flags are read by the top byte only (spec §4.2), so every SDK's values are understood.</summary>
public class CommonFlagsTests
{
    [Theory]
    [InlineData(0x00000000u, DocumentFormat.Legacy)]
    [InlineData(0x0000ffffu, DocumentFormat.Legacy)]   // legacy SDK-private low bits only
    [InlineData(0x01000000u, DocumentFormat.Private)]
    [InlineData(0x01000001u, DocumentFormat.Private)]  // Java serialized
    [InlineData(0x01000005u, DocumentFormat.Private)]  // PHP igbinary
    [InlineData(0x02000000u, DocumentFormat.Json)]
    [InlineData(0x02000001u, DocumentFormat.Json)]     // .NET SDK 3, TypeCode.Object
    [InlineData(0x02000006u, DocumentFormat.Json)]     // PHP VAL_IS_JSON
    [InlineData(0x03000000u, DocumentFormat.Binary)]
    [InlineData(0x03000800u, DocumentFormat.Binary)]   // Java 2.x legacy binary
    [InlineData(0x04000000u, DocumentFormat.String)]
    [InlineData(0x04000012u, DocumentFormat.String)]   // .NET legacy transcoder, TypeCode.String
    [InlineData(0x0f000000u, DocumentFormat.Legacy)]   // undefined format nibble
    public void The_format_comes_from_the_low_nibble_of_the_top_byte(uint flags, DocumentFormat expected) =>
        Assert.Equal(expected, CommonFlags.FormatOf(flags));

    [Fact]
    public void The_written_base_values_are_the_recommended_ones()
    {
        Assert.Equal(0x01000000u, CommonFlags.Private);
        Assert.Equal(0x02000000u, CommonFlags.Json);
        Assert.Equal(0x03000000u, CommonFlags.Binary);
        Assert.Equal(0x04000000u, CommonFlags.String);
    }

    [Fact]
    public void Compression_is_the_top_three_bits()
    {
        Assert.Equal(0, CommonFlags.CompressionOf(0x02000000u));
        Assert.Equal(1, CommonFlags.CompressionOf(0x22000000u));
        Assert.Equal(DocumentFormat.Json, CommonFlags.FormatOf(0x22000000u));
    }
}
