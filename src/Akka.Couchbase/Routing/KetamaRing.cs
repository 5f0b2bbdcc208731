using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Akka.Couchbase.Routing;

/// <summary>
/// The ketama consistent-hash ring used by memcached buckets (spec §6.3): 160 MD5-derived points per node on a
/// sorted continuum; a key goes to the node owning the first point at or after the key's hash, wrapping around.
/// Immutable and safe to share between threads.
/// </summary>
internal sealed class KetamaRing
{
    private const int HashesPerNode = 40;
    private const int PointsPerHash = 4;

    private readonly string[] _nodes;
    private readonly uint[] _points;
    private readonly int[] _owners;

    /// <summary>
    /// Builds the ring over <paramref name="nodes"/>, each <c>"host:kvport"</c> (IPv6 hosts in brackets; an
    /// unbracketed IPv6 host is bracketed here). Any <c>$HOST</c> must already have been substituted.
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty.</exception>
    public KetamaRing(IReadOnlyList<string> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.Count == 0) throw new ArgumentException("a ketama ring needs at least one node", nameof(nodes));

        _nodes = new string[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
            _nodes[i] = HostPort.Normalize(nodes[i] ?? throw new ArgumentException($"node {i} is null", nameof(nodes)));

        var order = Enumerable.Range(0, _nodes.Length).ToArray();
        Array.Sort(order, (a, b) =>
        {
            var c = string.CompareOrdinal(_nodes[a], _nodes[b]);
            return c != 0 ? c : a.CompareTo(b);
        });

        var count = _nodes.Length * HashesPerNode * PointsPerHash;
        _points = new uint[count];
        _owners = new int[count];
        Span<byte> digest = stackalloc byte[16];
        var at = 0;
        foreach (var node in order)
        {
            for (var i = 0; i < HashesPerNode; i++)
            {
                var label = Encoding.ASCII.GetBytes(_nodes[node] + "-" + i.ToString(CultureInfo.InvariantCulture));
                MD5.HashData(label, digest);
                for (var j = 0; j < PointsPerHash; j++)
                {
                    _points[at] = PointAt(digest, j);
                    _owners[at] = node;
                    at++;
                }
            }
        }
        // Stable for equal points: ties keep the sorted-node order.
        var sorted = Enumerable.Range(0, count).OrderBy(k => _points[k]).ToArray();
        _points = sorted.Select(k => _points[k]).ToArray();
        _owners = sorted.Select(k => _owners[k]).ToArray();
    }

    /// <summary>The node strings, in the order given to the constructor (IPv6 hosts bracketed).</summary>
    public IReadOnlyList<string> Nodes => _nodes;

    /// <summary>The sorted continuum: each point and the index of its node in the constructor's list.</summary>
    internal IReadOnlyList<(uint Point, int Node)> Continuum =>
        _points.Select((p, k) => (p, _owners[k])).ToArray();

    /// <summary>The index (into the list given to the constructor) of the node that owns <paramref name="key"/>.</summary>
    public int NodeIndexFor(ReadOnlySpan<byte> key)
    {
        if (_nodes.Length == 1) return 0; // every point is the one node's
        Span<byte> digest = stackalloc byte[16];
        if (key.Length <= 1024) Md5.HashData(key, digest);
        else MD5.HashData(key, digest);
        var h = PointAt(digest, 0);

        // Lower bound: the first point >= h, or wrap to the first point.
        int lo = 0, hi = _points.Length;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (_points[mid] < h) lo = mid + 1;
            else hi = mid;
        }
        return _owners[lo == _points.Length ? 0 : lo];
    }

    /// <summary>The <c>"host:kvport"</c> string of the node that owns <paramref name="key"/>.</summary>
    public string NodeFor(ReadOnlySpan<byte> key) => _nodes[NodeIndexFor(key)];

    private static uint PointAt(ReadOnlySpan<byte> digest, int j) =>
        (uint)digest[4 * j + 3] << 24 | (uint)digest[4 * j + 2] << 16 | (uint)digest[4 * j + 1] << 8 | digest[4 * j];
}
