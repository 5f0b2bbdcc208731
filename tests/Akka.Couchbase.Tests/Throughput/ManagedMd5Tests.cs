using System.Security.Cryptography;
using System.Text;
using Akka.Couchbase.Routing;
using Xunit;

namespace Akka.Couchbase.Tests.Throughput;

/// <summary>The managed MD5 behind ketama's per-key hash equals the platform's, on RFC 1321's vectors and on every length a key can have.</summary>
public class ManagedMd5Tests
{
    private static string Hex(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[16];
        Md5.HashData(data, digest);
        return Convert.ToHexString(digest).ToLowerInvariant();
    }

    [Theory]
    [InlineData("", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("a", "0cc175b9c0f1b6a831c399e269772661")]
    [InlineData("abc", "900150983cd24fb0d6963f7d28e17f72")]
    [InlineData("message digest", "f96b697d7cb7938d525a2f31aaf161d0")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a")]
    public void Rfc1321_test_suite(string input, string expected) => Assert.Equal(expected, Hex(Encoding.ASCII.GetBytes(input)));

    [Fact]
    public void Equals_the_platform_md5_for_every_length_up_to_1_KiB()
    {
        var random = new Random(42);
        for (var length = 0; length <= 1024; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Convert.ToHexString(MD5.HashData(data)).ToLowerInvariant(), Hex(data));
        }
    }
}
