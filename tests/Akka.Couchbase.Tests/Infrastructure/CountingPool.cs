using System.Buffers;
using System.Numerics;

namespace Akka.Couchbase.Tests.Infrastructure;

/// <summary>
/// An array pool that records what it lends: each array rented (one of the next power of two, as the shared pool
/// gives, so an array may be longer than asked), and how often each came back. Never lends an array twice, so a
/// test can tell whose array it sees. Thread-safe.
/// </summary>
public sealed class CountingPool : ArrayPool<byte>
{
    private readonly object _gate = new();
    private readonly Dictionary<byte[], int> _returns = new(ReferenceEqualityComparer.Instance);

    /// <summary>How many arrays were rented.</summary>
    public int Rented { get { lock (_gate) return _returns.Count; } }

    /// <summary>How many times an array came back in all (twice for one array returned twice).</summary>
    public int Returned { get { lock (_gate) return _returns.Values.Sum(); } }

    /// <summary>Whether <paramref name="array"/> is one of this pool's.</summary>
    public bool Lent(byte[] array) { lock (_gate) return _returns.ContainsKey(array); }

    /// <summary>How many times <paramref name="array"/> came back (0 if never, or not this pool's).</summary>
    public int ReturnsOf(byte[] array) { lock (_gate) return _returns.GetValueOrDefault(array); }

    public override byte[] Rent(int minimumLength)
    {
        var array = new byte[minimumLength <= 16 ? 16 : (int)BitOperations.RoundUpToPowerOf2((uint)minimumLength)];
        lock (_gate) _returns.Add(array, 0);
        return array;
    }

    public override void Return(byte[] array, bool clearArray = false)
    {
        lock (_gate)
        {
            if (!_returns.TryGetValue(array, out var count))
                throw new ArgumentException("an array this pool never lent was returned to it");
            _returns[array] = count + 1;
        }
    }
}
