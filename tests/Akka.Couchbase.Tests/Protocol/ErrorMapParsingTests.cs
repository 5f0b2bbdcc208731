using Akka.Couchbase.Protocol;
using Xunit;

namespace Akka.Couchbase.Tests.Protocol;

/// <summary>GET_ERROR_MAP replies (spec §2.7): hex status keys, attributes and what they ask of a client.</summary>
public class ErrorMapParsingTests
{
    private const string SpecExample = """
        { "version": 2, "revision": 9,
          "errors": {
            "7":  {"name":"NOT_MY_VBUCKET","desc":"Not my vbucket","attrs":["fetch-config","invalid-input"]},
            "86": {"name":"ETMPFAIL","desc":"Temporary failure","attrs":["temp","retry-now"]},
            "1f": {"name":"AUTH_STALE","desc":"Reauthenticate","attrs":["conn-state-invalidated","auth"]},
            "a2": {"name":"SYNC_WRITE_IN_PROGRESS","desc":"...","attrs":["retry-later","item-locked","some-future-attr"],
                   "retry":{"strategy":"exponential","interval":2,"after":1,"ceil":500,"max-duration":2500}},
            "1":  {"name":"KEY_ENOENT","desc":"Not Found","attrs":["item-only"]} } }
        """;

    [Fact]
    public void Version_revision_and_entries_are_read()
    {
        var map = ErrorMap.Parse(SpecExample);

        Assert.Equal(2, map.Version);
        Assert.Equal(9, map.Revision);
        Assert.Equal(5, map.Entries.Count);
        Assert.True(map.TryGet(0x07, out var nmvb));
        Assert.Equal("NOT_MY_VBUCKET", nmvb.Name);
        Assert.Equal("Not my vbucket", nmvb.Description);
        Assert.Equal(new HashSet<string> { "fetch-config", "invalid-input" }, nmvb.Attributes);
    }

    [Fact]
    public void Keys_are_lowercase_hex_status_codes()
    {
        var map = ErrorMap.Parse(SpecExample);

        Assert.True(map.TryGet(0x86, out var tmpfail));
        Assert.Equal("ETMPFAIL", tmpfail.Name);
        Assert.True(map.TryGet((ushort)KvStatus.SyncWriteInProgress, out var sync));
        Assert.Equal("SYNC_WRITE_IN_PROGRESS", sync.Name);
        Assert.False(map.TryGet(86, out _)); // decimal 86 = 0x56, not in the map
    }

    [Fact]
    public void Attribute_helpers_classify_the_entries()
    {
        var map = ErrorMap.Parse(SpecExample);
        map.TryGet(0x07, out var nmvb);
        map.TryGet(0x86, out var tmpfail);
        map.TryGet(0x1f, out var stale);
        map.TryGet(0xa2, out var sync);
        map.TryGet(0x01, out var notFound);

        Assert.True(nmvb!.FetchConfig);
        Assert.False(nmvb.IsRetry);
        Assert.True(tmpfail!.IsRetry);
        Assert.True(tmpfail.IsTemporary);
        Assert.True(stale!.InvalidatesConnection);
        Assert.True(stale.IsAuth);
        Assert.True(sync!.IsRetry);            // retry-later
        Assert.True(sync.Has("some-future-attr")); // unknown attributes are kept, not fatal
        Assert.False(notFound!.IsRetry);
        Assert.False(notFound.InvalidatesConnection);
        Assert.False(notFound.FetchConfig);
    }

    [Fact]
    public void An_entry_without_attrs_or_desc_is_accepted()
    {
        var map = ErrorMap.Parse("""{"version":1,"revision":1,"errors":{"0":{"name":"SUCCESS"}}}""");

        Assert.True(map.TryGet(0, out var success));
        Assert.Equal("", success.Description);
        Assert.Empty(success.Attributes);
    }

    [Theory]
    [InlineData("""{"revision":1,"errors":{}}""", "'version'")]
    [InlineData("""{"version":1,"errors":{}}""", "'revision'")]
    [InlineData("""{"version":1,"revision":1}""", "'errors'")]
    [InlineData("""{"version":1,"revision":1,"errors":{"zz":{"name":"X"}}}""", "'errors.zz'")]
    [InlineData("""{"version":1,"revision":1,"errors":{"7":{"desc":"no name"}}}""", "'errors.7.name'")]
    [InlineData("""{"version":1,"revision":1,"errors":{"7":{"name":"X","attrs":"temp"}}}""", "'errors.7.attrs'")]
    public void A_missing_or_malformed_field_is_named(string json, string field)
    {
        var ex = Assert.Throws<FormatException>(() => ErrorMap.Parse(json));

        Assert.Contains(field, ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    public void Text_that_is_not_a_JSON_object_is_refused(string json) =>
        Assert.Throws<FormatException>(() => ErrorMap.Parse(json));

    // Found by fuzzing: Newtonsoft holds an integer beyond 64 bits as a BigInteger, which Value<long>() cannot
    // convert, so such a version or revision threw InvalidCastException past the handshake's catch of FormatException.
    [Theory]
    [InlineData("""{"version":1,"revision":-9223372036854775809,"errors":{"0":{"name":"SUCCESS"}}}""", "'revision'")]
    [InlineData("""{"version":18446744073709551616,"revision":1,"errors":{}}""", "'version'")]
    [InlineData("""{"version":1,"revision":2147483648,"errors":{}}""", "'revision'")]
    public void A_version_or_revision_beyond_32_bits_is_a_FormatException_naming_it(string json, string field)
    {
        var ex = Assert.Throws<FormatException>(() => ErrorMap.Parse(json));

        Assert.Contains(field, ex.Message);
    }
}
