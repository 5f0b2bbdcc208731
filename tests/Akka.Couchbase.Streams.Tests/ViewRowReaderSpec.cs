using System.Net;
using System.Text;
using Akka.Couchbase.Streams.Tests.Fuzzing;
using Akka.Couchbase.Streams.Views;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.Streams.Tests;

/// <summary>
/// The view-row reader on response bodies the fuzz tests found: a member of the wrong type or a number out of
/// range is a broken response (<see cref="ViewQueryException"/>), as any other bad input is.
/// </summary>
public sealed class ViewRowReaderSpec
{
    private static Task<(List<ViewRow> Rows, ViewMetadata Metadata)> Read(string body) =>
        Read(Encoding.UTF8.GetBytes(body), []);

    /// <summary>Reads every row of <paramref name="body"/>, arriving in reads of the given sizes (the last repeats).</summary>
    private static async Task<(List<ViewRow> Rows, ViewMetadata Metadata)> Read(byte[] body, int[] reads)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new SplitStream(body, reads)) };
        using var reader = await ViewRowReader.OpenAsync(response, new ViewQuery("dd", "v"),
            new Uri("http://node:8092/bucket"), TimeSpan.FromSeconds(30), CancellationToken.None, CancellationToken.None);
        var rows = new List<ViewRow>();
        while (await reader.NextAsync(CancellationToken.None) is { } row) rows.Add(row);
        return (rows, reader.Metadata);
    }

    [Fact]
    public async Task A_well_formed_response_is_read_with_its_metadata()
    {
        var (rows, metadata) = await Read("""
            {"total_rows":3,"rows":[{"id":"a","key":1,"value":null},{"key":["x"],"value":2}],
             "errors":[{"from":"http://n2:8092/b","reason":"timeout"},{"reason":"no from"}]}
            """);

        Assert.Equal(["a", null], rows.Select(r => r.Id));
        Assert.Equal(3, metadata.TotalRows);
        Assert.Equal([new ViewError("http://n2:8092/b", "timeout"), new ViewError(null, "no from")], metadata.Errors);
    }

    // Found by fuzzing: ViewRow.From read the id with Value<string>(), which throws InvalidCastException for an array.
    [Theory]
    [InlineData("""{"total_rows":7303,"rows":[{"id":"21st_amendment_brewery_cafe","key":["21st_amendment_brewery_cafe"],"value":null},{"id":["21st_amendment_brewery_cafe-21a_ipa"],"key":["21st_amendment_brewery_cafe","21st_amendment_brewery_cafe-21a_ipa"],"value":{"abv":7.2,"name":"21A IPA"}}]}""")]
    [InlineData("""{"rows":[{"id":{},"key":1,"value":1}]}""")]
    [InlineData("""{"rows":[{"id":18446744073709551616,"key":1,"value":1}]}""")]
    public async Task A_row_whose_id_is_not_a_string_is_a_broken_response(string body)
    {
        var ex = await Assert.ThrowsAsync<ViewQueryException>(() => Read(body));

        Assert.Contains("id", ex.Message);
    }

    // Found by fuzzing: total_rows went through Convert.ToInt64, which throws InvalidCastException for the
    // BigInteger Newtonsoft holds beyond 64 bits and OverflowException for NaN or a float out of range.
    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("-99999999999999999999999999999999999999999")]
    [InlineData("1e300")]
    [InlineData("NaN")]
    [InlineData("-Infinity")]
    public async Task A_total_rows_that_is_no_row_count_is_a_broken_response(string totalRows)
    {
        var ex = await Assert.ThrowsAsync<ViewQueryException>(() => Read($$"""{"total_rows":{{totalRows}},"rows":[]}"""));

        Assert.Contains("total_rows", ex.Message);
    }

    // Found by fuzzing: an errors entry that is not an object threw InvalidOperationException or ArgumentException
    // from the indexer, and a 'from' that is not a string InvalidCastException.
    [Theory]
    [InlineData("""[1]""")]
    [InlineData("""[[]]""")]
    [InlineData("""[{"from":{"node":"n2"},"reason":"timeout"}]""")]
    public async Task An_errors_entry_that_is_not_an_object_with_a_string_from_is_a_broken_response(string errors)
    {
        var ex = await Assert.ThrowsAsync<ViewQueryException>(() => Read($$"""{"rows":[],"errors":{{errors}}}"""));

        Assert.Contains("errors", ex.Message);
    }

    // Found by fuzzing: rows are read member by member, and a comment before a member's value was taken for the
    // next member's name (InvalidCastException). Comments inside a row are ignored, as when a row was loaded whole.
    [Fact]
    public async Task Comments_inside_a_row_are_ignored()
    {
        var (rows, _) = await Read("""{"rows":[{"id":"a",/*c*/"other":/*c*/1,"key":/*c*/[1,/*c*/2],"value":/*c*/"v"/*c*/}]}""");

        var row = Assert.Single(rows);
        Assert.Equal(("a", "[1,2]", "\"v\""), (row.Id, row.KeyJson, row.ValueJson));
    }

    [Fact]
    public async Task Rows_arriving_a_byte_at_a_time_are_the_rows_of_the_whole_response()
    {
        const string body = """{"total_rows":2,"rows":[{"id":"a","key":["a",1],"value":{"n":1.5}},{"id":"b","key":"b","value":true}]}""";

        var (whole, _) = await Read(body);
        var (bytewise, metadata) = await Read(Encoding.UTF8.GetBytes(body), [1]);

        Assert.Equal(whole, bytewise);
        Assert.Equal(["[\"a\",1]", "\"b\""], bytewise.Select(r => r.KeyJson));
        Assert.Equal(2, metadata.TotalRows);
    }

    [Fact]
    public async Task A_row_larger_than_the_reader_buffer_is_read_whole()
    {
        var big = new string('x', 200_000);
        var (rows, _) = await Read(Encoding.UTF8.GetBytes("""{"rows":[{"id":"a","key":1,"value":{"text":""" + "\"" + big + "\"" + """}},{"id":"b","key":2,"value":null}]}"""), [4096]);

        Assert.Equal(["a", "b"], rows.Select(r => r.Id));
        Assert.Equal(big, rows[0].Value["text"]!.ToString());
    }

    [Fact]
    public async Task A_byte_order_mark_before_the_json_is_skipped_even_when_it_arrives_split()
    {
        var body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("""{"rows":[{"id":"a","key":1,"value":2}]}""")).ToArray();

        var (rows, _) = await Read(body, [1]);

        Assert.Equal("a", Assert.Single(rows).Id);
    }

    [Fact]
    public async Task Keys_and_values_keep_their_json_meaning_escapes_numbers_and_nesting_included()
    {
        const string key = """["caf\u00e9 \"quoted\"",-0.25,1e3,123456789012345678901234567890,{"a":[true,false,null]}]""";
        var (rows, _) = await Read($$"""{"rows":[{"id":"a","key":{{key}},"value":18446744073709551615}]}""");

        var row = Assert.Single(rows);
        Assert.True(JToken.DeepEquals(JToken.Parse(key), row.Key), row.KeyJson);
        Assert.Equal(System.Numerics.BigInteger.Parse("18446744073709551615"), row.Value.ToObject<System.Numerics.BigInteger>());
    }

    [Theory]
    [InlineData("""{"rows":[{"id":"a","key":1,"value":2}""", "ended before it was complete")]
    [InlineData("", "empty")]
    [InlineData("""{"rows":[{"id":"a","key":[1,}]}""", "in row 1")]
    [InlineData("""{"rows":[{"id":"a","key":1e999,"value":1}]}""", "out of range")]
    public async Task A_truncated_or_invalid_response_is_a_broken_response_saying_where(string body, string said)
    {
        var ex = await Assert.ThrowsAsync<ViewQueryException>(() => Read(body));

        Assert.Contains(said, ex.Message);
        Assert.Contains("view dd/v", ex.Message);
    }
}
