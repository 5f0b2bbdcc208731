using System.Buffers;

namespace Akka.Couchbase.Pipeline;

/// <summary>
/// The owner of one array rented from a pool (the body of a large Get reply, see <see cref="ValuePoolingSettings"/>):
/// <see cref="Return"/> gives it back exactly once, whichever thread calls it and however often. A result and the
/// copies made of it with <c>with</c> share one owner.
/// </summary>
internal sealed class RentedBuffer
{
    private readonly ArrayPool<byte> _pool;
    private byte[]? _array;

    public RentedBuffer(byte[] array, ArrayPool<byte> pool)
    {
        _array = array;
        _pool = pool;
    }

    /// <summary>True once the array was given back: nothing may read it any more.</summary>
    public bool IsReturned => Volatile.Read(ref _array) is null;

    /// <summary>Gives the array back to its pool; only the first call does, the others do nothing.</summary>
    public void Return()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is not null) _pool.Return(array);
    }
}
