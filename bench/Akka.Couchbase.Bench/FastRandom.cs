namespace Akka.Couchbase.Bench;

/// <summary>xorshift64*: a small, allocation-free random source, one per worker (no shared state).</summary>
internal struct FastRandom
{
    private ulong _state;

    public FastRandom(ulong seed) => _state = seed == 0 ? 0x9E3779B97F4A7C15UL : seed;

    public ulong NextUInt64()
    {
        var x = _state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        _state = x;
        return x * 0x2545F4914F6CDD1DUL;
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>).</summary>
    public int Next(int bound) => (int)((NextUInt64() >> 32) * (ulong)bound >> 32);

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
