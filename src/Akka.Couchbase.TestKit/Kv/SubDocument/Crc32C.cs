using System.Numerics;

namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>CRC-32C (Castagnoli), as <c>${Mutation.value_crc32c}</c> and <c>$document.value_crc32c</c> report it.</summary>
internal static class Crc32C
{
    public static uint Of(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }
}
