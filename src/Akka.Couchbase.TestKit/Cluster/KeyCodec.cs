using System.Text;

namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>
/// Keys are kept as Latin-1 strings internally (one char per key byte, lossless for any bytes);
/// these helpers convert to and from the UTF-8 strings people write.
/// </summary>
internal static class KeyCodec
{
    public static string FromBytes(ReadOnlySpan<byte> key) => Encoding.Latin1.GetString(key);

    public static string FromText(string key) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(key));

    public static byte[] ToBytes(string internalKey) => Encoding.Latin1.GetBytes(internalKey);

    public static string ToText(string internalKey) => Encoding.UTF8.GetString(ToBytes(internalKey));
}
