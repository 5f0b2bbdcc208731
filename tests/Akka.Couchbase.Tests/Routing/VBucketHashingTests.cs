using System.Text;
using Akka.Couchbase.Routing;
using Xunit;

namespace Akka.Couchbase.Tests.Routing;

/// <summary>Key → vBucket mapping (spec §6.1, §6.2): zlib CRC-32, 15 bits from the top half, modulo the count.</summary>
public class VBucketHashingTests
{
    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute(Utf8("123456789")));
        Assert.Equal(0u, Crc32.Compute(ReadOnlySpan<byte>.Empty));
    }

    [Theory]
    [InlineData("hello", 0x3610a686u, 13840u)]
    [InlineData("XXXXX", 0xb58525c8u, 13701u)]
    [InlineData("CouchbaseIsAwesome", 0x6434f95eu, 25652u)]
    [InlineData("16ByteKeyForEdge", 0xac4570e5u, 11333u)]
    [InlineData("32ByteKeyForEdge32ByteKeyForEdge", 0xf7ceb7f8u, 30670u)]
    [InlineData("foo", 0x8c736521u, 3187u)]
    [InlineData("user::1", 0x63e571b2u, 25573u)]
    [InlineData("doc1", 0xc9850b0bu, 18821u)]
    public void Crc32_and_hash15_match_the_published_vectors(string key, uint crc, uint hash15)
    {
        Assert.Equal(crc, Crc32.Compute(Utf8(key)));
        Assert.Equal(hash15, VBucketHasher.Hash15(Utf8(key)));
    }

    [Theory]
    [InlineData("hello", 528, 16)]
    [InlineData("XXXXX", 389, 5)]
    [InlineData("CouchbaseIsAwesome", 52, 52)]
    [InlineData("16ByteKeyForEdge", 69, 5)]
    [InlineData("32ByteKeyForEdge32ByteKeyForEdge", 974, 14)]
    [InlineData("foo", 115, 51)]
    [InlineData("user::1", 997, 37)]
    [InlineData("doc1", 389, 5)]
    public void VBucket_with_1024_and_64_vbuckets_matches_the_table(string key, int vb1024, int vb64)
    {
        Assert.Equal(vb1024, VBucketHasher.VBucketOf(Utf8(key), 1024));
        Assert.Equal(vb64, VBucketHasher.VBucketOf(Utf8(key), 64));
    }

    [Theory]
    [InlineData("hello", 0)]
    [InlineData("doctor", 0)]
    [InlineData("name", 3)]
    [InlineData("continue", 3)]
    [InlineData("yesterday", 0)]
    [InlineData("tomorrow", 1)]
    [InlineData("another key", 2)]
    public void VBucket_with_4_vbuckets_matches_libvbucket(string key, int expected) =>
        Assert.Equal(expected, VBucketHasher.VBucketOf(Utf8(key), 4));

    [Theory]
    [InlineData("k0", 9)]
    [InlineData("k1", 14)]
    [InlineData("k2", 7)]
    [InlineData("k3", 0)]
    [InlineData("k4", 100)]
    [InlineData("k5", 99)]
    public void VBucket_with_256_vbuckets_matches_go_couchbase(string key, int expected) =>
        Assert.Equal(expected, VBucketHasher.VBucketOf(Utf8(key), 256));

    [Fact]
    public void A_count_that_is_not_a_power_of_two_uses_modulo()
    {
        // hash15("hello") = 13840; 13840 % 1000 = 840, whereas a mask (13840 & 999) would give 768.
        Assert.Equal(840, VBucketHasher.VBucketOf(Utf8("hello"), 1000));
        Assert.Equal(0, VBucketHasher.VBucketOf(Utf8("hello"), 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-64)]
    public void A_count_that_is_not_positive_is_refused(int count) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => VBucketHasher.VBucketOf(Utf8("hello"), count));
}
