using System.Security.Cryptography;
using System.Text;

namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>Key to vBucket (CRC32, spec §6.1) and ketama (spec §6.3) helpers.</summary>
internal static class Hashing
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }

    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = Table[(crc ^ b) & 0xff] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    public static int VBucketOf(ReadOnlySpan<byte> key, int vBuckets) =>
        (int)(((Crc32(key) >> 16) & 0x7fff) % (uint)vBuckets);

    /// <summary>Index into <paramref name="nodes"/> ("host:kvport" strings) of the ketama owner of the key.</summary>
    public static int KetamaNode(ReadOnlySpan<byte> key, IReadOnlyList<string> nodes)
    {
        var points = new List<(uint Point, int Node)>(nodes.Count * 160);
        var sorted = nodes.Select((n, i) => (n, i)).OrderBy(x => x.n, StringComparer.Ordinal).ToList();
        foreach (var (name, index) in sorted)
        {
            for (var i = 0; i < 40; i++)
            {
                var d = MD5.HashData(Encoding.ASCII.GetBytes($"{name}-{i}"));
                for (var j = 0; j < 4; j++)
                    points.Add(((uint)(d[4 * j + 3] << 24 | d[4 * j + 2] << 16 | d[4 * j + 1] << 8 | d[4 * j]), index));
            }
        }
        points.Sort((a, b) => a.Point.CompareTo(b.Point));
        var k = MD5.HashData(key);
        var h = (uint)(k[3] << 24 | k[2] << 16 | k[1] << 8 | k[0]);
        foreach (var p in points)
            if (p.Point >= h) return p.Node;
        return points[0].Node;
    }
}
