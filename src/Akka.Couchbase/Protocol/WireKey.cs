using System.Buffers;
using System.Text;

namespace Akka.Couchbase.Protocol;

/// <summary>A document key as the wire carries it: 1 to 250 bytes of UTF-8, made from valid UTF-16.</summary>
internal static class WireKey
{
    /// <summary>The longest key the server takes, in UTF-8 bytes.</summary>
    public const int MaxBytes = 250;

    /// <summary>
    /// Checks <paramref name="key"/> and writes its UTF-8 bytes at the start of <paramref name="dest"/> (at least
    /// <see cref="MaxBytes"/> long); returns how many. ASCII keys (the usual ones) are copied in one pass.
    /// </summary>
    /// <exception cref="KvInvalidArgumentException">The key is empty, not valid UTF-16, or longer than 250 bytes.</exception>
    public static int Encode(string? key, Span<byte> dest)
    {
        if (string.IsNullOrEmpty(key)) throw new KvInvalidArgumentException("key is empty");
        if (key.Length <= MaxBytes && Ascii.FromUtf16(key, dest, out var written) == OperationStatus.Done) return written;
        var count = WireText.Utf8Length(key, "key");
        if (count > MaxBytes)
            throw new KvInvalidArgumentException(
                $"key '{WireText.Printable(key)}' is {count} UTF-8 bytes; the limit is {MaxBytes}");
        return Encoding.UTF8.GetBytes(key, dest);
    }
}
