using Akka.Couchbase.Protocol;
using Xunit;

namespace Akka.Couchbase.Tests.Collections;

/// <summary>Collection ids in front of keys: unsigned LEB128, canonical, as kv_engine's docs/Collections.md tabulates it.</summary>
public sealed class Leb128Spec
{
    [Theory]
    [InlineData(0x00u, new byte[] { 0x00 })]
    [InlineData(0x01u, new byte[] { 0x01 })]
    [InlineData(0x7Fu, new byte[] { 0x7F })]
    [InlineData(0x80u, new byte[] { 0x80, 0x01 })]
    [InlineData(0x555u, new byte[] { 0xD5, 0x0A })]
    [InlineData(0x7FFFu, new byte[] { 0xFF, 0xFF, 0x01 })]
    [InlineData(0xBFFFu, new byte[] { 0xFF, 0xFF, 0x02 })]
    [InlineData(0xFFFFu, new byte[] { 0xFF, 0xFF, 0x03 })]
    [InlineData(0x8000u, new byte[] { 0x80, 0x80, 0x02 })]
    [InlineData(0x5555u, new byte[] { 0xD5, 0xAA, 0x01 })]
    [InlineData(0xCAFEF00Du, new byte[] { 0x8D, 0xE0, 0xFB, 0xD7, 0x0C })]
    [InlineData(0xFFFFFFFFu, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    public void Ids_encode_and_decode_as_the_table_says(uint id, byte[] encoded)
    {
        Span<byte> buffer = stackalloc byte[5];
        Assert.Equal(encoded.Length, Leb128.Size(id));
        Assert.Equal(encoded.Length, Leb128.Write(buffer, id));
        Assert.Equal(encoded, buffer[..encoded.Length].ToArray());
        Assert.True(Leb128.TryRead(encoded.Concat(new byte[] { (byte)'k' }).ToArray(), out var read, out var length));
        Assert.Equal((id, encoded.Length), (read, length));
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x00 })]             // a trailing zero group is not canonical
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x1F })] // beyond 32 bits
    [InlineData(new byte[] { 0x80, 0x80 })]             // unterminated
    public void Non_canonical_or_too_long_prefixes_are_refused(byte[] bytes) =>
        Assert.False(Leb128.TryRead(bytes, out _, out _));
}
