using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Newtonsoft.Json;

namespace Akka.Couchbase.Protocol;

/// <summary>
/// The HELLO request and reply contents (spec §2.6): the key names the client (a JSON user agent), the value is a
/// list of big-endian u16 feature codes; the reply's value lists the features the server enabled.
/// </summary>
internal static class Hello
{
    /// <summary>The longest agent name sent; longer names are cut (SDKs cap it near 200 characters).</summary>
    public const int MaxAgentLength = 200;

    /// <summary>What this client asks for by default (spec §2.6 recommendation): XERROR, SELECT_BUCKET, JSON, MUTATION_SEQNO, TcpNoDelay.</summary>
    public static IReadOnlyList<HelloFeature> RecommendedFeatures { get; } =
    [
        HelloFeature.XError, HelloFeature.SelectBucket, HelloFeature.Json, HelloFeature.MutationSeqno,
        HelloFeature.TcpNoDelay,
    ];

    /// <summary>Encodes features as the HELLO value: one big-endian u16 per feature, in the given order.</summary>
    public static byte[] EncodeFeatures(IReadOnlyList<HelloFeature> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var bytes = new byte[features.Count * 2];
        for (var i = 0; i < features.Count; i++)
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(i * 2), (ushort)features[i]);
        return bytes;
    }

    /// <summary>Decodes a HELLO value (request or reply). Codes this enum does not name are kept as their numeric value.</summary>
    /// <exception cref="ProtocolException">The value has an odd number of bytes.</exception>
    public static IReadOnlyList<HelloFeature> DecodeFeatures(ReadOnlySpan<byte> value)
    {
        if (value.Length % 2 != 0)
            throw new ProtocolException($"HELLO feature list has an odd length ({value.Length} bytes)");
        var features = new HelloFeature[value.Length / 2];
        for (var i = 0; i < features.Length; i++)
            features[i] = (HelloFeature)BinaryPrimitives.ReadUInt16BigEndian(value.Slice(i * 2));
        return features;
    }

    /// <summary>
    /// The HELLO key in its JSON form, <c>{"a":"&lt;agent&gt;","i":"&lt;connection id&gt;"}</c>; the agent is cut to
    /// <see cref="MaxAgentLength"/> characters. See <see cref="ConnectionId"/> for the id's usual shape.
    /// </summary>
    public static string AgentKey(string agent, string connectionId)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(connectionId);
        if (agent.Length > MaxAgentLength)
        {
            var cut = MaxAgentLength;
            if (char.IsHighSurrogate(agent[cut - 1])) cut--;
            agent = agent.Substring(0, cut);
        }

        var sb = new StringBuilder(agent.Length + connectionId.Length + 16);
        using (var writer = new JsonTextWriter(new StringWriter(sb, CultureInfo.InvariantCulture)))
        {
            writer.Formatting = Formatting.None;
            writer.WriteStartObject();
            writer.WritePropertyName("a");
            writer.WriteValue(agent);
            writer.WritePropertyName("i");
            writer.WriteValue(connectionId);
            writer.WriteEndObject();
        }
        return sb.ToString();
    }

    /// <summary>
    /// A connection id as SDKs send it: two 16-digit uppercase hex u64 values separated by <c>/</c>, the first
    /// identifying the client instance and the second the connection (e.g. <c>66388CF5BFCF7522/18CC8791579B567C</c>).
    /// </summary>
    public static string ConnectionId(ulong clientInstance, ulong connection) =>
        clientInstance.ToString("X16", CultureInfo.InvariantCulture) + "/" + connection.ToString("X16", CultureInfo.InvariantCulture);
}
