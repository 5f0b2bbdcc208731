using Akka.Couchbase.Protocol;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.SubDocument;

/// <summary>Single-path lookups (GET 0xc5, EXISTS 0xc6, GET_COUNT 0xd2) and the path grammar, over a real socket.</summary>
public sealed class SubDocLookupTests : SubDocTestBase
{
    private const string Product = """
        {"type":"product","pDetails":{"audience":"children"},
         "pDistributors":[{"dName":"Going Out","dAdded":["Feb",36,2025]},{"dName":"Must Go","dAdded":["May",72,1492]}],
         "dot.ted.field":{"x":1},"back`tick`field":2,"n":1.50,"e":1E5,"q\"k":3}
        """;

    [Theory]
    [InlineData("type", "\"product\"")]
    [InlineData("pDetails", "{\"audience\":\"children\"}")]
    [InlineData("pDistributors[0].dName", "\"Going Out\"")]
    [InlineData("pDistributors[1].dAdded[2]", "1492")]
    [InlineData("pDistributors[-1].dAdded[-1]", "1492")]
    [InlineData("`dot.ted.field`.x", "1")]
    [InlineData("`back``tick``field`", "2")]
    [InlineData("n", "1.50")]
    [InlineData("e", "1E5")]
    [InlineData("q\\\"k", "3")]
    [InlineData("pDistributors[1].", "{\"dName\":\"Must Go\",\"dAdded\":[\"May\",72,1492]}")]
    public async Task Get_returns_the_exact_json_text_at_the_path(string path, string expected)
    {
        await using var c = await ClientAsync("product");
        var cas = await StoreAsync(c, "product", Product);
        var r = await c.SingleAsync(SubDoc.Get, "product", path);
        Assert.Equal(KvStatus.Success, r.Status);
        Assert.Equal(expected, Value(r));
        Assert.Equal(DataType.Json, r.DataType);
        Assert.Equal(cas, r.Cas);
        Assert.Equal(0, r.ExtrasLength);
        Assert.Equal(0, r.KeyLength);
    }

    [Theory]
    [InlineData("nope", SubDoc.PathNotFound)]
    [InlineData("pDetails.nope.deeper", SubDoc.PathNotFound)]
    [InlineData("pDistributors[5]", SubDoc.PathNotFound)]
    [InlineData("pDistributors.count", SubDoc.PathMismatch)]
    [InlineData("type.category", SubDoc.PathMismatch)]
    [InlineData("pDetails[0]", SubDoc.PathMismatch)]
    [InlineData("a..b", SubDoc.PathInvalid)]
    [InlineData("a[", SubDoc.PathInvalid)]
    [InlineData("a]", SubDoc.PathInvalid)]
    [InlineData("a[x]", SubDoc.PathInvalid)]
    [InlineData("a[-2]", SubDoc.PathInvalid)]
    [InlineData("a[0]b", SubDoc.PathInvalid)]
    [InlineData("`unclosed", SubDoc.PathInvalid)]
    [InlineData("a\"b", SubDoc.PathInvalid)]
    [InlineData("a\\u0041", SubDoc.PathInvalid)]
    [InlineData(".a", SubDoc.PathInvalid)]
    public async Task Get_of_a_missing_mismatched_or_malformed_path_fails_with_its_status(string path, KvStatus expected)
    {
        await using var c = await ClientAsync("product");
        await StoreAsync(c, "product", Product);
        var r = await c.SingleAsync(SubDoc.Get, "product", path);
        Assert.Equal(expected, r.Status);
        Assert.Equal(0, r.ValueLength);
    }

    [Fact]
    public async Task Paths_have_at_most_31_components_and_1024_bytes()
    {
        await using var c = await ClientAsync("deep");
        var doc = string.Concat(Enumerable.Repeat("{\"a\":", 31)) + "1" + new string('}', 31);
        await StoreAsync(c, "deep", doc);
        var path31 = string.Join(".", Enumerable.Repeat("a", 31));
        var ok = await c.SingleAsync(SubDoc.Get, "deep", path31);
        Assert.Equal(KvStatus.Success, ok.Status);
        Assert.Equal("1", Value(ok));
        Assert.Equal(SubDoc.PathTooBig, (await c.SingleAsync(SubDoc.Get, "deep", path31 + ".a")).Status);
        // the validator refuses a path over 1024 bytes before parsing it
        Assert.Equal(KvStatus.InvalidArguments, (await c.SingleAsync(SubDoc.Get, "deep", new string('x', 1025))).Status);
        Assert.Equal(SubDoc.PathNotFound, (await c.SingleAsync(SubDoc.Get, "deep", new string('x', 1024))).Status);
    }

    [Fact]
    public async Task A_document_deeper_than_32_levels_is_too_deep_and_a_non_json_one_is_not_json()
    {
        await using var c = await ClientAsync("deep");
        await StoreAsync(c, "deep", new string('[', 32) + "1" + new string(']', 32));
        Assert.Equal(SubDoc.DocTooDeep, (await c.SingleAsync(SubDoc.Get, "deep", "[0]")).Status);
        await StoreAsync(c, "deep", new string('[', 31) + "1" + new string(']', 31));
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.Get, "deep", "[0]")).Status);
        await using var b = await ClientAsync("binary");
        await b.Raw.SetAsync("binary", "not json {", Vb("binary"), dataType: DataType.Raw);
        Assert.Equal(SubDoc.DocNotJson, (await b.SingleAsync(SubDoc.Get, "binary", "a")).Status);
    }

    [Fact]
    public async Task Exists_answers_without_a_value_and_get_count_counts_members_or_elements()
    {
        await using var c = await ClientAsync("product");
        await StoreAsync(c, "product", Product);
        var exists = await c.SingleAsync(SubDoc.Exists, "product", "pDetails.audience");
        Assert.Equal(KvStatus.Success, exists.Status);
        Assert.Equal(0, exists.ValueLength);
        Assert.Equal(SubDoc.PathNotFound, (await c.SingleAsync(SubDoc.Exists, "product", "pDetails.age")).Status);
        var count = await c.SingleAsync(SubDoc.GetCount, "product", "pDistributors");
        Assert.Equal("2", Value(count));
        Assert.Equal("1", Value(await c.SingleAsync(SubDoc.GetCount, "product", "pDetails")));
        Assert.Equal("8", Value(await c.SingleAsync(SubDoc.GetCount, "product", "")));
        Assert.Equal(SubDoc.PathMismatch, (await c.SingleAsync(SubDoc.GetCount, "product", "type")).Status);
    }

    [Fact]
    public async Task Lookups_check_the_document_the_cas_and_the_request()
    {
        await using var c = await ClientAsync("product");
        var cas = await StoreAsync(c, "product", Product);
        Assert.Equal(KvStatus.KeyNotFound, (await c.SingleAsync(SubDoc.Get, AbsentKeyBeside("product"), "a")).Status);
        Assert.Equal(KvStatus.KeyExists, (await c.SingleAsync(SubDoc.Get, "product", "type", cas: cas + 1)).Status);
        Assert.Equal(KvStatus.Success, (await c.SingleAsync(SubDoc.Get, "product", "type", cas: cas)).Status);
        // an empty path, a value, a mutation flag or an expiry on a lookup are invalid arguments
        Assert.Equal(KvStatus.InvalidArguments, (await c.SingleAsync(SubDoc.Get, "product", "")).Status);
        Assert.Equal(KvStatus.InvalidArguments, (await c.SingleAsync(SubDoc.Get, "product", "type", value: "1")).Status);
        Assert.Equal(KvStatus.InvalidArguments, (await c.SingleAsync(SubDoc.Get, "product", "type", pathFlags: SubDoc.MkdirP)).Status);
        Assert.Equal(KvStatus.InvalidArguments, (await c.SingleAsync(SubDoc.Get, "product", "type", expiry: 10)).Status);
        Assert.Equal(KvStatus.InvalidArguments, (await c.SingleAsync(SubDoc.Get, "product", "type", docFlags: SubDoc.Mkdoc)).Status);
    }

    [Fact]
    public async Task Multi_lookup_answers_every_spec_with_its_own_status()
    {
        await using var c = await ClientAsync("mail");
        var cas = await StoreAsync(c, "mail", """{"from":"mnunberg","to":"couchbase","subject":"Subdoc","tags":[1,2,3]}""");
        var r = await c.LookupAsync("mail", new Spec[]
        {
            new(SubDoc.Get, "from"), new(SubDoc.Get, "cc"), new(SubDoc.Exists, "subject"), new(SubDoc.Exists, "bcc"),
            new(SubDoc.GetCount, "tags"), new(SubDoc.Get, "from.x"), new(SubDoc.WholeGet, ""),
        });
        Assert.Equal(SubDoc.MultiPathFailure, r.Status);
        Assert.Equal(cas, r.Cas);
        var results = SubDocClient.LookupResults(r);
        Assert.Equal(new[]
        {
            (KvStatus.Success, "\"mnunberg\""), (SubDoc.PathNotFound, ""), (KvStatus.Success, ""), (SubDoc.PathNotFound, ""),
            (KvStatus.Success, "3"), (SubDoc.PathMismatch, ""),
            (KvStatus.Success, """{"from":"mnunberg","to":"couchbase","subject":"Subdoc","tags":[1,2,3]}"""),
        }, results);
        var allGood = await c.LookupAsync("mail", new Spec[] { new(SubDoc.Get, "to"), new(SubDoc.Exists, "tags[2]") });
        Assert.Equal(KvStatus.Success, allGood.Status);
        Assert.Equal(2, SubDocClient.LookupResults(allGood).Count);
    }

    [Fact]
    public async Task Multi_lookup_rejects_mutations_more_than_16_specs_and_an_empty_body()
    {
        await using var c = await ClientAsync("mail");
        await StoreAsync(c, "mail", """{"a":1}""");
        Assert.Equal(SubDoc.InvalidCombo, (await c.LookupAsync("mail", new Spec[] { new(SubDoc.DictUpsert, "a") })).Status);
        var sixteen = Enumerable.Repeat(new Spec(SubDoc.Get, "a"), 16).ToArray();
        Assert.Equal(KvStatus.Success, (await c.LookupAsync("mail", sixteen)).Status);
        Assert.Equal(SubDoc.InvalidCombo, (await c.LookupAsync("mail", sixteen.Append(new Spec(SubDoc.Get, "a")))).Status);
        Assert.Equal(SubDoc.InvalidCombo, (await c.LookupAsync("mail", Array.Empty<Spec>())).Status);
        Assert.Equal(KvStatus.KeyNotFound, (await c.LookupAsync(AbsentKeyBeside("mail"), new Spec[] { new(SubDoc.Get, "a") })).Status);
        await using var r = await ClientAsync("raw");
        Assert.Equal(KvStatus.Success, (await r.Raw.SetAsync("raw", "plain text", Vb("raw"), dataType: DataType.Raw)).Status);
        var mixed = await r.LookupAsync("raw", new Spec[] { new(SubDoc.Get, "a"), new(SubDoc.WholeGet, "") });
        Assert.Equal(new[] { (SubDoc.DocNotJson, ""), (KvStatus.Success, "plain text") }, SubDocClient.LookupResults(mixed));
    }
}
