using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.Protocol;

/// <summary>The body of an UNKNOWN_COLLECTION / UNKNOWN_SCOPE reply: <c>{"manifest_uid":"1f"}</c>.</summary>
internal static class UnknownCollectionBody
{
    /// <summary>The manifest uid the reply names, or null when the body has none (or is not that JSON).</summary>
    public static string? ManifestUid(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return null;
        try
        {
            return JObject.Parse(Encoding.UTF8.GetString(body))["manifest_uid"] is JValue { Type: JTokenType.String } v
                ? (string?)v
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
