using System.Net;
using System.Text;
using Akka.Couchbase.Streams.Views;
using Akka.Couchbase.Tests.Fuzzing;
using CsCheck;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Streams.Tests.Fuzzing;

/// <summary>
/// The view-row reader reads a view response as it streams from a node. Its contract: a response that is not a
/// valid view result is a <see cref="ViewQueryException"/> and nothing else (the row source fails with it);
/// reading ends, with at most as many rows as the response has bytes; and how the response is split into reads
/// never changes the rows or the metadata.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class ViewRowReaderFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public Task A_valid_response_split_at_any_points_yields_its_rows_and_metadata() =>
        Fuzz.CheckAsync(Gen.Select(Response, Reads), async c =>
        {
            var (response, reads) = c;
            var (rows, metadata) = await ReadAll(Encoding.UTF8.GetBytes(response.Json), reads);
            Assert.Equal(response.Rows.Count, rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                Assert.Equal(response.Rows[i].Id, rows[i].Id);
                Assert.True(JToken.DeepEquals(response.Rows[i].Key, rows[i].Key), $"key of row {i}");
                Assert.True(JToken.DeepEquals(response.Rows[i].Value, rows[i].Value), $"value of row {i}");
            }
            Assert.Equal(response.TotalRows, metadata.TotalRows);
            Assert.Equal(rows.Count, metadata.RowsRead);
            Assert.Equal(response.Errors, metadata.Errors);
        }, output, c => $"{c.Item1.Json} split at [{string.Join(", ", c.Item2)}]");

    [Fact]
    public Task Random_bytes_are_rows_or_a_ViewQueryException_and_nothing_else() =>
        Fuzz.CheckAsync(Gen.Select(Gen.Frequency(
                (1, Gen.Byte.Array[0, 400]),
                (2, JsonMutations.RandomText.Select(Encoding.UTF8.GetBytes))), Reads),
            c => ReadOrRefuse(c.Item1, c.Item2), output, c => $"{Convert.ToHexString(c.Item1)} split at [{string.Join(", ", c.Item2)}]");

    [Fact]
    public Task Mutated_responses_are_rows_or_a_ViewQueryException_and_nothing_else() =>
        Fuzz.CheckAsync(Gen.Select(JsonMutations.Mutated(Samples), Reads),
            c => ReadOrRefuse(Encoding.UTF8.GetBytes(c.Item1), c.Item2), output, c => $"{c.Item1} split at [{string.Join(", ", c.Item2)}]");

    [Fact]
    public async Task Every_value_of_a_sample_response_replaced_by_an_odd_one_is_read_or_refused_with_a_ViewQueryException()
    {
        var cases = 0;
        foreach (var json in Samples.SelectMany(JsonMutations.EveryValueReplaced))
        {
            cases++;
            await ReadOrRefuse(Encoding.UTF8.GetBytes(json), []).WaitAsync(Fuzz.CaseLimit);
        }
        output.WriteLine($"{cases} responses with one value replaced");
    }

    // ---- reading --------------------------------------------------------------------------------------------------

    private static async Task ReadOrRefuse(byte[] body, int[] reads)
    {
        (List<ViewRow> Rows, ViewMetadata Metadata)? read = null;
        await Fuzz.OnlyDocumentedAsync(async () => read = await ReadAll(body, reads), e => e is ViewQueryException);
        if (read is not { } r) return;
        foreach (var row in r.Rows)
        {
            Assert.NotNull(row.Key);
            Assert.NotNull(row.Value);
            Assert.NotEmpty(row.ToString());
        }
        Assert.Equal(r.Rows.Count, r.Metadata.RowsRead);
    }

    /// <summary>Reads every row; more rows than bytes would mean the reader goes round without consuming input.</summary>
    private static async Task<(List<ViewRow> Rows, ViewMetadata Metadata)> ReadAll(byte[] body, int[] reads)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new SplitStream(body, reads)) };
        using var reader = await ViewRowReader.OpenAsync(response, new ViewQuery("dd", "v"), new Uri("http://node:8092/bucket"),
            TimeSpan.FromSeconds(30), CancellationToken.None, CancellationToken.None);
        var rows = new List<ViewRow>();
        while (await reader.NextAsync(CancellationToken.None) is { } row)
        {
            rows.Add(row);
            Assert.True(rows.Count <= body.Length, $"{rows.Count} rows out of {body.Length} bytes");
        }
        return (rows, reader.Metadata);
    }

    private static readonly Gen<int[]> Reads = Gen.Int[1, 64].Array[0, 10];

    // ---- valid responses ------------------------------------------------------------------------------------------

    private static readonly string[] Samples =
    [
        """
        {"total_rows":7303,"rows":[
        {"id":"21st_amendment_brewery_cafe","key":["21st_amendment_brewery_cafe"],"value":null},
        {"id":"21st_amendment_brewery_cafe-21a_ipa","key":["21st_amendment_brewery_cafe","21st_amendment_brewery_cafe-21a_ipa"],"value":{"abv":7.2,"name":"21A IPA"}}
        ]}
        """,
        """{"rows":[{"key":["United States","California"],"value":207},{"key":null,"value":[1,2.5,"x",true]}]}""",
        """
        {"total_rows":2,"offset":0,"update_seq":"12-g1AAAA","rows":[{"id":"a","key":1,"value":"\u00e9\u4e2d\ud83d\ude00"}],
         "errors":[{"from":"http://node2:8092/b","reason":"timeout"},{"from":"local","reason":{"error":"x"}}],
         "debug_info":{"local":{"main_group":{"stats":[1,2,3]}}}}
        """,
    ];

    private sealed record Expected(string Json, long? TotalRows, List<ViewRow> Rows, List<ViewError> Errors);

    private static readonly Gen<JToken> Scalar = Gen.Frequency<JToken>(
        (3, Gen.String[0, 12].Select(s => (JToken)new JValue(s))),
        (1, Gen.Char['\u0080', '\uffff'].Array[1, 6].Where(c => !c.Any(char.IsSurrogate)).Select(c => (JToken)new JValue(new string(c)))),
        (2, Gen.Long.Select(l => (JToken)new JValue(l))),
        (1, Gen.Double.Where(double.IsFinite).Select(d => (JToken)new JValue(d))),
        (1, Gen.Bool.Select(b => (JToken)new JValue(b))),
        (1, Gen.Const<JToken>(JValue.CreateNull())));

    private static readonly Gen<JToken> JsonValue = Gen.Frequency(
        (4, Scalar),
        (1, Scalar.Array[0, 4].Select(a => (JToken)new JArray(a.Cast<object>().ToArray()))),
        (1, Gen.Select(Gen.String["abcdefgh"].Array[0, 3].Where(k => k.Distinct().Count() == k.Length), Scalar.Array[3],
            (k, v) => (JToken)new JObject(k.Select((name, i) => new JProperty(name, v[i]))))));

    private static readonly Gen<ViewRow> Row =
        Gen.Select(Gen.Frequency((3, Gen.String[0, 16].Select(s => (string?)s)), (1, Gen.Const((string?)null))), JsonValue, JsonValue,
            (id, key, value) => new ViewRow(id, key, value));

    private static readonly Gen<Expected> Response =
        Gen.Select(Gen.Frequency((3, Gen.Long[0, long.MaxValue].Select(n => (long?)n)), (1, Gen.Const((long?)null))),
            Row.List[0, 20],
            Gen.Select(Gen.String[0, 10], Gen.String[0, 10], (f, r) => new ViewError(f, r)).List[0, 2],
            Gen.Int[0, 7],
            (total, rows, errors, layout) =>
            {
                var members = new List<JProperty>();
                if (total is { } t) members.Add(new JProperty("total_rows", t));
                if ((layout & 1) != 0) members.Add(new JProperty("offset", 0));
                members.Add(new JProperty("rows", new JArray(rows.Select(r =>
                {
                    var o = new JObject();
                    if (r.Id is not null) o["id"] = r.Id;
                    o["key"] = r.Key;
                    o["value"] = r.Value;
                    return o;
                }))));
                if (errors.Count > 0)
                    members.Add(new JProperty("errors", new JArray(errors.Select(e => new JObject { ["from"] = e.From, ["reason"] = e.Reason }))));
                if ((layout & 2) != 0) members.Add(new JProperty("debug_info", new JObject { ["local"] = new JObject() }));
                if ((layout & 4) != 0) members.Reverse(); // the members may come in any order
                var json = new JObject(members.Cast<object>().ToArray()).ToString((layout & 1) != 0 ? Formatting.Indented : Formatting.None);
                return new Expected(json, total, rows, errors);
            });
}
