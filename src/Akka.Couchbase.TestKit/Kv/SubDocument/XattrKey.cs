using System.Text;

namespace Akka.Couchbase.TestKit.Kv.SubDocument;

/// <summary>
/// The xattr key at the start of an xattr path (kv_engine <c>xattr/key_validator.cc</c>): up to the first <c>.</c>
/// or <c>[</c>, 1-15 bytes of UTF-8, not starting with punctuation or a control character other than <c>_</c>
/// (system) or <c>$</c> (virtual), which need at least one more byte; no NUL.
/// </summary>
internal static class XattrKey
{
    /// <summary>Longest key in bytes.</summary>
    public const int MaxLength = 15;

    /// <summary>The key of <paramref name="path"/>, or null when it is not a valid xattr key.</summary>
    public static string? Of(string path)
    {
        var end = path.IndexOfAny(['.', '[']);
        var key = end < 0 ? path : path.Substring(0, end);
        if (key.Length == 0 || key.Contains('\0')) return null;
        var bytes = Encoding.UTF8.GetByteCount(key);
        if (bytes > MaxLength) return null;
        var first = key[0];
        var special = first < 0x80 && (char.IsPunctuation(first) || char.IsSymbol(first) || char.IsControl(first));
        if (special && first is not ('_' or '$')) return null;
        if (first is '_' or '$' && bytes == 1) return null;
        return key;
    }

    /// <summary>A virtual xattr (<c>$document</c>, <c>$XTOC</c>, <c>$vbucket</c>): read-only, computed.</summary>
    public static bool IsVirtual(string path) => path.Length > 0 && path[0] == '$';
}
