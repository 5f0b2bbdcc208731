using System.Numerics;
using Akka.Couchbase.Routing;
using Akka.Couchbase.Tests.Routing;
using CsCheck;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Fuzzing;

/// <summary>
/// The cluster-map parser reads JSON a server sends (over KV, pushed, or streamed over HTTP). Its contract: text
/// that is not a valid map is a <see cref="FormatException"/> and nothing else (the supervisor ignores such a map
/// and keeps the one it has); a map it reads holds what its JSON says and answers every lookup with a node of
/// its list or -1.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class ClusterConfigFuzzTests(ITestOutputHelper output)
{
    private static readonly string[] Samples =
    [
        ClusterMapSamples.ThreeNodes, ClusterMapSamples.SingleNodeWithDollarHost, ClusterMapSamples.Ketama,
        ClusterMapSamples.Rebalancing,
    ];

    private static readonly Gen<string> BootstrapHost = Gen.OneOf("192.168.1.101", "::1", "[::1]", "h", "$HOST", "a:b");

    [Fact]
    public Task Random_text_is_a_map_or_a_FormatException_and_nothing_else() =>
        Fuzz.Check(Gen.Select(JsonMutations.RandomText, BootstrapHost), c => ReadOrRefuse(c.Item1, c.Item2), output);

    [Fact]
    public Task Mutated_sample_maps_are_read_or_refused_with_a_FormatException_and_nothing_else() =>
        Fuzz.Check(Gen.Select(JsonMutations.Mutated(Samples), BootstrapHost), c => ReadOrRefuse(c.Item1, c.Item2), output);

    [Fact]
    public Task A_map_with_one_value_replaced_is_refused_or_read_as_its_JSON_says() =>
        Fuzz.Check(JsonMutations.OneValueReplaced(Samples), json =>
        {
            if (ReadOrRefuse(json, "h") is { } config) HoldsWhatItsJsonSays(config);
        }, output);

    [Fact]
    public void Every_value_of_the_sample_maps_replaced_by_an_odd_one_is_read_as_its_JSON_says_or_refused()
    {
        var cases = 0;
        foreach (var json in Samples.SelectMany(JsonMutations.EveryValueReplaced))
        {
            cases++;
            if (ReadOrRefuse(json, "h") is { } config) HoldsWhatItsJsonSays(config);
        }
        output.WriteLine($"{cases} maps with one value replaced");
    }

    /// <summary>Parses; a <see cref="FormatException"/> is a refusal, any other exception fails the property; a map read must be usable.</summary>
    private static ClusterConfig? ReadOrRefuse(string json, string host)
    {
        ClusterConfig? config = null;
        Fuzz.OnlyDocumented(() => config = ClusterConfig.Parse(json, host), e => e is FormatException);
        if (config is not null) Usable(config);
        return config;
    }

    /// <summary>Every lookup answers a node of the list or -1, and every key routes.</summary>
    private static void Usable(ClusterConfig config)
    {
        var nodes = config.Nodes.Count;
        Assert.InRange(config.NumReplicas, 0, 3);
        for (var vb = -1; vb <= config.VBucketCount; vb++)
        {
            Assert.InRange(config.ActiveNodeIndex(vb), -1, nodes - 1);
            Assert.InRange(config.ForwardActiveNodeIndex(vb), -1, nodes - 1);
            for (var r = -1; r <= config.NumReplicas + 1; r++) Assert.InRange(config.ReplicaNodeIndex(vb, r), -1, nodes - 1);
        }
        foreach (var key in new[] { "", "a", "pymc0", "key-with-a-longer-name", "\u00e9\u4e2d" })
        {
            var index = config.NodeIndexForKey(key, out var vBucket);
            Assert.InRange(index, -1, nodes - 1);
            if (config.IsKetama) Assert.Equal(0, vBucket);
            else Assert.InRange(vBucket, 0, config.VBucketCount - 1);
        }
        if (config.IsKetama) Assert.NotEqual(0, nodes);
        foreach (var node in config.Nodes)
        {
            Assert.InRange(node.KvPort, 1, 65535);
            Assert.InRange(node.MgmtPort, 1, 65535);
            Assert.NotEmpty(node.KvAddress);
        }
        Assert.NotEmpty(config.ToString());
        Assert.NotNull(config.BucketName);
    }

    /// <summary>The numbers of the map are the numbers of its JSON (after <c>$HOST</c> substitution), not a truncation of them.</summary>
    private static void HoldsWhatItsJsonSays(ClusterConfig config)
    {
        var json = config.RawJson;
        JObject root;
        try
        {
            using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
            root = (JObject)JToken.ReadFrom(reader);
        }
        catch (JsonException)
        {
            return; // JRaw text that only the parser's own reading makes sense of; nothing to compare with
        }
        Assert.Equal(Integer(root["rev"]), config.Version.Revision);
        Assert.Equal(root["revEpoch"] is { Type: not JTokenType.Null } epoch ? Integer(epoch) : 0, config.Version.Epoch);
        Assert.Equal((string)root["name"]!, config.BucketName);
        if (config.IsKetama) return;
        var map = (JObject)root["vBucketServerMap"]!;
        Assert.Equal(Integer(map["numReplicas"]), config.NumReplicas);
        var rows = (JArray)map["vBucketMap"]!;
        Assert.Equal(rows.Count, config.VBucketCount);
        Assert.Equal(((JArray)map["serverList"]!).Count, config.Nodes.Count);
        for (var vb = 0; vb < rows.Count; vb++)
        {
            var row = (JArray)rows[vb];
            Assert.Equal(Integer(row[0]), config.ActiveNodeIndex(vb));
            for (var r = 1; r <= config.NumReplicas; r++)
                Assert.Equal(r < row.Count ? Integer(row[r]) : -1, config.ReplicaNodeIndex(vb, r));
        }
    }

    private static BigInteger Integer(JToken? token)
    {
        Assert.NotNull(token);
        Assert.Equal(JTokenType.Integer, token.Type);
        return token.ToObject<BigInteger>();
    }
}
