using Akka.Couchbase.Pipeline;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Transcoding;

namespace Akka.Couchbase;

/// <summary>
/// The reply to Get, GetAndTouch, GetAndLock and GetReplica. <see cref="RawValue"/> is immutable; to avoid a copy
/// it may be a slice of the socket read it arrived in (only when the value is at least 1/64 of that read), which
/// stays alive as long as the result does: copy it (<c>RawValue.ToArray()</c>) before keeping a small value for long.
/// <para>
/// Ownership: whoever receives a <see cref="GetResult"/> owns it. With value pooling on
/// (<c>akka.couchbase.value-pooling</c>, <see cref="ValuePoolingSettings"/>), a large value may live in an array
/// rented from a pool: dispose the result when done with its value, and keep nothing that refers to
/// <see cref="RawValue"/>'s bytes past that (copy them first). Once disposed, <see cref="RawValue"/> and
/// <see cref="ContentAs{T}"/> throw <see cref="ObjectDisposedException"/>. A result never disposed is simply
/// collected (its array is not reused). Disposing a result that holds no rented array (value pooling off, a small
/// value, a miss) does nothing; disposing twice is fine. A copy made with <c>with</c> shares the array: disposing
/// either disposes both (unless the copy was given a <see cref="RawValue"/> of its own).
/// </para>
/// </summary>
public sealed record GetResult(string Key, KvOutcome Outcome, ulong Cas, object? CorrelationId,
    ReadOnlyMemory<byte> RawValue, uint Flags, DataType DataType) : KvResult(Key, Outcome, Cas, CorrelationId), IDisposable
{
    private readonly ReadOnlyMemory<byte> _rawValue = RawValue;
    // What the value needs besides its bytes, in one field (a result is the most common reply): null for the default
    // transcoder and no rented array; else the rented array, a transcoder of the client's own, or both.
    private readonly object? _owner;

    /// <summary>The value's bytes as the server sent them.</summary>
    /// <exception cref="ObjectDisposedException">The result was disposed and its value given back to the pool.</exception>
    public ReadOnlyMemory<byte> RawValue
    {
        get
        {
            ThrowIfDisposed();
            return _rawValue;
        }
        init
        {
            _rawValue = value;
            _owner = Owner(null, Transcoder); // a value of its own: this copy owns no rented array
        }
    }

    /// <summary>How <see cref="ContentAs{T}"/> decodes the value: the client's transcoder.</summary>
    internal ITranscoder Transcoder
    {
        get => _owner switch
        {
            ITranscoder own => own,
            RentedWithTranscoder both => both.Transcoder,
            _ => DefaultTranscoder.Instance,
        };
        init => _owner = Owner(Rented, value);
    }

    /// <summary>The rented array <see cref="RawValue"/> lies in, or null.</summary>
    internal RentedBuffer? Rented
    {
        get => _owner switch
        {
            RentedBuffer rented => rented,
            RentedWithTranscoder both => both.Rented,
            _ => null,
        };
        init => _owner = Owner(value, Transcoder);
    }

    private static object? Owner(RentedBuffer? rented, ITranscoder transcoder)
    {
        var own = ReferenceEquals(transcoder, DefaultTranscoder.Instance) ? null : transcoder;
        return (rented, own) switch
        {
            (null, null) => null,
            (null, _) => own,
            (_, null) => rented,
            _ => new RentedWithTranscoder(rented, own),
        };
    }

    /// <summary>A rented array and a transcoder of the client's own, both.</summary>
    private sealed record RentedWithTranscoder(RentedBuffer Rented, ITranscoder Transcoder);

    /// <summary>True once <see cref="Dispose"/> gave the value's array back to the pool (false for a result that holds none).</summary>
    public bool IsDisposed => Rented is { IsReturned: true };

    /// <summary>The value decoded as <typeparamref name="T"/> (bytes, text, or JSON through Newtonsoft.Json, by its common flags).</summary>
    /// <exception cref="InvalidOperationException">The outcome is not Success, so there is no value.</exception>
    /// <exception cref="ObjectDisposedException">The result was disposed and its value given back to the pool.</exception>
    public T ContentAs<T>()
    {
        if (!IsSuccess) throw new InvalidOperationException($"no value for key '{Key}': the outcome is {Outcome}");
        ThrowIfDisposed();
        return Transcoder.Decode<T>(_rawValue, Flags, DataType);
    }

    /// <summary>
    /// The value decoded as <typeparamref name="T"/>, then the result disposed, unless what was decoded may still
    /// refer to the value's bytes (a <see cref="ReadOnlyMemory{T}"/>, or any type from a transcoder other than
    /// <see cref="DefaultTranscoder"/>): that result is left to the collector.
    /// </summary>
    internal T ContentAsThenDispose<T>()
    {
        try
        {
            return ContentAs<T>();
        }
        finally
        {
            if (Transcoder is DefaultTranscoder && typeof(T) != typeof(ReadOnlyMemory<byte>)) Dispose();
        }
    }

    /// <summary>
    /// Gives the value's rented array back to the pool (value pooling on); does nothing for a result that holds none,
    /// or the second time. Thread-safe.
    /// </summary>
    public void Dispose() => Rented?.Return();

    private void ThrowIfDisposed()
    {
        if (Rented is { IsReturned: true })
            throw new ObjectDisposedException(nameof(GetResult),
                $"the value of key '{Key}' was given back to the pool when its result was disposed");
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"GetResult(Key={Key}, Outcome={Outcome}, Cas=0x{Cas:x}, Flags=0x{Flags:x}, Value={_rawValue.Length} bytes" +
        (IsDisposed ? ", disposed)" : ")");
}
