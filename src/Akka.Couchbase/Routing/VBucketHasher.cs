namespace Akka.Couchbase.Routing;

/// <summary>Maps a document key to its vBucket (spec §6.1): <c>((crc32(key) &gt;&gt; 16) &amp; 0x7fff) % numVBuckets</c>.</summary>
internal static class VBucketHasher
{
    /// <summary>
    /// The vBucket of <paramref name="key"/> (the raw UTF-8 key bytes, no collection prefix) in a bucket of
    /// <paramref name="numVBuckets"/> vBuckets. Any positive count works, not only powers of two.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numVBuckets"/> is not positive.</exception>
    public static int VBucketOf(ReadOnlySpan<byte> key, int numVBuckets)
    {
        if (numVBuckets <= 0)
            throw new ArgumentOutOfRangeException(nameof(numVBuckets), numVBuckets, "the vBucket count must be positive");
        return (int)(Hash15(key) % (uint)numVBuckets);
    }

    /// <summary>The 15-bit hash the vBucket is taken from: <c>(crc32(key) &gt;&gt; 16) &amp; 0x7fff</c>.</summary>
    public static uint Hash15(ReadOnlySpan<byte> key) => (Crc32.Compute(key) >> 16) & 0x7fff;
}
