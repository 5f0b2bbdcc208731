using Akka.Couchbase.Streams.Views;
using Xunit;

namespace Akka.Couchbase.Streams.Tests;

/// <summary>Parameters are encoded as spec §9.2 says, and contradictions are refused before anything is sent.</summary>
public sealed class ViewQueryEncodingSpec
{
    [Fact]
    public void Every_parameter_is_encoded()
    {
        var q = new ViewQuery("beer", "brewery_beers")
        {
            Key = new object[] { "a", 1 },
            StartKey = "abc",
            EndKey = new[] { "z" },
            StartKeyDocId = "doc 1",
            EndKeyDocId = "doc2",
            InclusiveEnd = false,
            Descending = true,
            Limit = 5,
            Skip = 2,
            Stale = ViewStale.Ok,
            Reduce = true,
            GroupLevel = 1,
            OnError = ViewOnError.Stop,
            ConnectionTimeout = TimeSpan.FromSeconds(3),
            FullSet = true,
            Debug = true,
        };
        Assert.Equal(
            "key=%5B%22a%22%2C1%5D&startkey=%22abc%22&endkey=%5B%22z%22%5D&startkey_docid=doc%201&endkey_docid=doc2" +
            "&inclusive_end=false&descending=true&limit=5&skip=2&stale=ok&reduce=true&group_level=1&on_error=stop" +
            "&connection_timeout=3000&full_set=true&debug=true", q.QueryString());
    }

    [Fact]
    public void Keys_go_in_a_post_body_and_development_views_get_the_prefix()
    {
        var q = new ViewQuery("beer", "by_location") { Keys = new object?[] { new[] { "Belgium" }, null }, Development = true };
        Assert.Equal("{\"keys\":[[\"Belgium\"],null]}", q.Body());
        Assert.Equal("dev_beer", q.DesignDocumentPath);
        Assert.Equal("", q.QueryString());
    }

    [Theory]
    [InlineData("group_level")]
    [InlineData("keys")]
    [InlineData("limit")]
    [InlineData("reduce")]
    public void Contradictions_are_refused_naming_the_parameter(string which)
    {
        var q = which switch
        {
            "group_level" => new ViewQuery("d", "v") { Group = true, GroupLevel = 1 },
            "keys" => new ViewQuery("d", "v") { Key = "a", Keys = new object?[] { "b" } },
            "limit" => new ViewQuery("d", "v") { Limit = -1 },
            _ => new ViewQuery("d", "v") { Reduce = false, Group = true },
        };
        var e = Assert.Throws<ArgumentException>(() => q.Validate());
        Assert.Contains(which, e.Message);
    }
}
