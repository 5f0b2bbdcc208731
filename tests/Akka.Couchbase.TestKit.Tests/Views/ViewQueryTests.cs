using Akka.Couchbase.TestKit.Views;
using Newtonsoft.Json;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Views;

public sealed class ViewQueryTests
{
    private static ViewQuery Parse(string query, bool hasReduce = true, string? body = null) =>
        ViewQuery.Parse(Akka.Couchbase.TestKit.Http.HttpRequest.ParseQuery(query), body, hasReduce);

    private static ViewQueryException Fails(string query, bool hasReduce = true, string? body = null)
    {
        var ex = Assert.Throws<ViewQueryException>(() => Parse(query, hasReduce, body));
        Assert.Equal(400, ex.Status);
        return ex;
    }

    [Fact]
    public void Defaults()
    {
        var q = Parse("");
        Assert.True(q.InclusiveEnd);
        Assert.False(q.Descending);
        Assert.Null(q.Limit);
        Assert.Equal(0, q.Skip);
        Assert.Equal("update_after", q.Stale);
        Assert.True(q.Reduce);
        Assert.False(Parse("", hasReduce: false).Reduce);
        Assert.False(q.Group);
        Assert.Null(q.GroupLevel);
        Assert.Equal("continue", q.OnError);
        Assert.Equal(60000, q.ConnectionTimeout);
        Assert.False(q.FullSet);
        Assert.False(q.Debug);
    }

    [Fact]
    public void Parses_every_parameter()
    {
        var q = Parse("startkey=%5B%22a%22%2C1%5D&endkey=%5B%22b%22%5D&startkey_docid=d1&endkey_docid=d2&inclusive_end=false"
            + "&limit=10&skip=3&stale=false&reduce=true&group_level=2&on_error=stop&connection_timeout=500&full_set=true&debug=true");
        Assert.Equal("[\"a\",1]", q.StartKey!.ToString(Formatting.None));
        Assert.Equal("[\"b\"]", q.EndKey!.ToString(Formatting.None));
        Assert.Equal("d1", q.StartKeyDocId);
        Assert.Equal("d2", q.EndKeyDocId);
        Assert.False(q.InclusiveEnd);
        Assert.Equal(10, q.Limit);
        Assert.Equal(3, q.Skip);
        Assert.Equal("false", q.Stale);
        Assert.Equal(2, q.GroupLevel);
        Assert.Equal("stop", q.OnError);
        Assert.Equal(500, q.ConnectionTimeout);
        Assert.True(q.FullSet);
        Assert.True(q.Debug);

        var k = Parse("key=%22abc%22&reduce=false", hasReduce: true);
        Assert.Equal("abc", (string?)k.Key);
        Assert.False(k.Reduce);
        var keys = Parse("keys=%5B1%2C%22two%22%5D", hasReduce: false);
        Assert.Equal(2, keys.Keys!.Count);
        var post = Parse("", hasReduce: false, body: "{\"keys\":[[1],[2],[3]]}");
        Assert.Equal(3, post.Keys!.Count);
        var desc = Parse("descending=true&startkey=5&endkey=1");
        Assert.True(desc.Descending);
    }

    [Theory]
    [InlineData("key=abc")]
    [InlineData("startkey=%5B1")]
    [InlineData("endkey=")]
    [InlineData("keys=%7B%7D")]
    [InlineData("limit=abc")]
    [InlineData("limit=-1")]
    [InlineData("skip=1.5")]
    [InlineData("group_level=x")]
    [InlineData("descending=yes")]
    [InlineData("inclusive_end=1")]
    [InlineData("stale=maybe")]
    [InlineData("on_error=ignore")]
    [InlineData("connection_timeout=soon")]
    [InlineData("full_set=on")]
    [InlineData("debug=TRUE")]
    [InlineData("group=true&group_level=1")]
    [InlineData("key=1&keys=%5B1%5D")]
    [InlineData("startkey=2&endkey=1")]
    [InlineData("startkey=1&endkey=2&descending=true")]
    [InlineData("reduce=false&group=true")]
    [InlineData("reduce=false&group_level=1")]
    [InlineData("keys=%5B1%5D")]
    public void Rejects_bad_values_with_query_parse_error(string query)
    {
        Assert.Equal("query_parse_error", Fails(query).Error);
    }

    [Theory]
    [InlineData("reduce=true")]
    [InlineData("group=true")]
    [InlineData("group_level=1")]
    public void Rejects_reduce_options_on_a_map_only_view(string query)
    {
        Assert.Equal("query_parse_error", Fails(query, hasReduce: false).Error);
    }

    [Fact]
    public void Rejects_a_bad_post_body()
    {
        Assert.Equal("bad_request", Fails("", hasReduce: false, body: "{\"keys\":").Error);
        Assert.Equal("query_parse_error", Fails("", hasReduce: false, body: "{\"keys\":5}").Error);
        Assert.Equal("query_parse_error", Fails("key=1", hasReduce: false, body: "{\"keys\":[1]}").Error);
    }

    [Fact]
    public void Equal_start_and_end_keys_are_fine_in_both_orders()
    {
        Parse("startkey=1&endkey=1");
        Parse("startkey=1&endkey=1&descending=true");
        Parse("group=false&group_level=1");
    }
}
