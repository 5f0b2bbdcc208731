using System.Globalization;
using Akka.Couchbase.Protocol;
using CsCheck;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Fuzzing;

/// <summary>
/// The error-map parser reads the server's reply to GET_ERROR_MAP. Its contract: a reply that is not a valid map
/// is a <see cref="FormatException"/> and nothing else (the handshake then goes on without a map); a map it reads
/// holds the version, revision and entries its JSON says.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class ErrorMapFuzzTests(ITestOutputHelper output)
{
    private const string SpecExample = """
        { "version": 2, "revision": 9,
          "errors": {
            "7":  {"name":"NOT_MY_VBUCKET","desc":"Not my vbucket","attrs":["fetch-config","invalid-input"]},
            "86": {"name":"ETMPFAIL","desc":"Temporary failure","attrs":["temp","retry-now"]},
            "1f": {"name":"AUTH_STALE","desc":"Reauthenticate","attrs":["conn-state-invalidated","auth"]},
            "a2": {"name":"SYNC_WRITE_IN_PROGRESS","desc":"...","attrs":["retry-later","item-locked"],
                   "retry":{"strategy":"exponential","interval":2,"after":1,"ceil":500,"max-duration":2500}},
            "ffff": {"name":"LAST","attrs":null} } }
        """;

    private const string Minimal = """{"version":1,"revision":1,"errors":{"0":{"name":"SUCCESS"}}}""";

    [Fact]
    public Task Random_text_is_an_error_map_or_a_FormatException_and_nothing_else() =>
        Fuzz.Check(JsonMutations.RandomText, json => ReadOrRefuse(json), output);

    [Fact]
    public Task Mutated_error_maps_are_read_or_refused_with_a_FormatException_and_nothing_else() =>
        Fuzz.Check(JsonMutations.Mutated(SpecExample, Minimal), json => ReadOrRefuse(json), output);

    [Fact]
    public Task An_error_map_with_one_value_replaced_is_refused_or_read_as_its_JSON_says() =>
        Fuzz.Check(JsonMutations.OneValueReplaced(SpecExample, Minimal), json =>
        {
            if (ReadOrRefuse(json) is { } map) HoldsWhatItsJsonSays(map, json);
        }, output);

    [Fact]
    public void Every_value_of_the_sample_maps_replaced_by_an_odd_one_is_read_as_its_JSON_says_or_refused()
    {
        foreach (var json in new[] { SpecExample, Minimal }.SelectMany(JsonMutations.EveryValueReplaced))
            if (ReadOrRefuse(json) is { } map) HoldsWhatItsJsonSays(map, json);
    }

    private static ErrorMap? ReadOrRefuse(string json)
    {
        ErrorMap? map = null;
        Fuzz.OnlyDocumented(() => map = ErrorMap.Parse(json), e => e is FormatException);
        if (map is null) return null;
        foreach (var (code, entry) in map.Entries)
        {
            Assert.True(map.TryGet(code, out var same));
            Assert.Same(entry, same);
            Assert.NotNull(entry.Name);
            Assert.NotNull(entry.Description);
            _ = (entry.IsRetry, entry.InvalidatesConnection, entry.FetchConfig, entry.IsTemporary, entry.IsAuth); // every attribute reads without throwing
            Assert.NotEmpty(entry.ToString());
        }
        return map;
    }

    private static void HoldsWhatItsJsonSays(ErrorMap map, string json)
    {
        JObject root;
        try
        {
            using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
            root = (JObject)JToken.ReadFrom(reader);
        }
        catch (JsonException)
        {
            return; // text that only the parser's own reading makes sense of; nothing to compare with
        }
        Assert.Equal(Integer(root["version"]), map.Version);
        Assert.Equal(Integer(root["revision"]), map.Revision);
        var expected = new Dictionary<ushort, string>();
        foreach (var property in ((JObject)root["errors"]!).Properties())
            expected[ushort.Parse(property.Name, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)] =
                (string)property.Value["name"]!;
        Assert.Equal(expected.OrderBy(e => e.Key), map.Entries.Select(e => KeyValuePair.Create(e.Key, e.Value.Name)).OrderBy(e => e.Key));
    }

    private static System.Numerics.BigInteger Integer(JToken? token)
    {
        Assert.NotNull(token);
        Assert.Equal(JTokenType.Integer, token.Type);
        return token.ToObject<System.Numerics.BigInteger>();
    }
}
