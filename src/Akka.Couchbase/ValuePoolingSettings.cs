using System.Buffers;
using Akka.Configuration;

namespace Akka.Couchbase;

/// <summary>
/// Pooled arrays for large Get values (<c>akka.couchbase.value-pooling</c>, off by default). When on, the body of a
/// successful Get, GetAndTouch, GetAndLock or GetReplica reply of at least <see cref="MinSize"/> bytes that arrives
/// split across socket reads is assembled in an array rented from a pool instead of a new one, and its
/// <see cref="GetResult"/> owns that array: <see cref="GetResult.Dispose"/> gives it back. Whoever receives a
/// <see cref="GetResult"/> owns it; with value pooling on, dispose it when done with its value. A result never
/// disposed is simply collected (its array is not reused), so turning this on is safe for code that keeps results.
/// </summary>
public sealed record ValuePoolingSettings
{
    /// <summary>The defaults: off; bodies of 16 KiB or more when on.</summary>
    public static readonly ValuePoolingSettings Default = new();

    /// <summary>Whether large Get values are assembled in pooled arrays (<c>enabled</c>).</summary>
    public bool Enabled { get; init; }

    /// <summary>The least body, in bytes, that is assembled in a pooled array (<c>min-size</c>; at least 1).</summary>
    public int MinSize { get; init; } = 16 * 1024;

    /// <summary>The pool the arrays are rented from and given back to (<see cref="ArrayPool{T}.Shared"/>).</summary>
    internal ArrayPool<byte> Pool { get; init; } = ArrayPool<byte>.Shared;

    /// <summary>Reads a <c>value-pooling</c> section (<paramref name="key"/> names it in errors).</summary>
    internal static ValuePoolingSettings Read(Config section, string key)
    {
        var minSize = HoconValues.Bytes(section, "min-size", $"{key}.min-size");
        if (minSize < 1)
            throw new ArgumentException($"{key}.min-size must be between 1 byte and {int.MaxValue} bytes, was {minSize}");
        return new ValuePoolingSettings { Enabled = HoconValues.Switch(section, "enabled", $"{key}.enabled"), MinSize = minSize };
    }

    /// <inheritdoc />
    public override string ToString() => $"ValuePoolingSettings(enabled={Enabled}, min-size={MinSize})";
}
