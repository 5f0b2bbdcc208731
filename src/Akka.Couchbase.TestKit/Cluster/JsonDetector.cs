using System.Text.Json;

namespace Akka.Couchbase.TestKit.Cluster;

/// <summary>Tells whether a stored value is well-formed JSON (the server's datatype inference, and meta.type for views).</summary>
internal static class JsonDetector
{
    public static bool IsJson(byte[] value)
    {
        if (value.Length == 0) return false;
        try
        {
            var reader = new Utf8JsonReader(value);
            while (reader.Read()) { }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
