using Akka.Couchbase.Streams.Views;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.Streams.Tests;

/// <summary>A row holds its key and value as JSON: what goes in comes out, and rows compare by their JSON.</summary>
public sealed class ViewRowSpec
{
    [Theory]
    [InlineData("null")]
    [InlineData("\"brewery\"")]
    [InlineData("42")]
    [InlineData("-9223372036854775808")]
    [InlineData("18446744073709551616")]
    [InlineData("7.25")]
    [InlineData("true")]
    [InlineData("[\"21st_amendment_brewery_cafe\",\"21st_amendment_brewery_cafe-21a_ipa\"]")]
    [InlineData("{\"abv\":7.2,\"name\":\"21A IPA\",\"tags\":[],\"at\":\"2010-07-22 20:00:20\"}")]
    public void Keys_and_values_come_out_as_they_went_in(string json)
    {
        var token = JToken.Parse(json, new JsonLoadSettings());
        var row = new ViewRow("id", token, token);

        Assert.True(JToken.DeepEquals(token, row.Key), row.KeyJson);
        Assert.True(JToken.DeepEquals(token, row.Value), row.ValueJson);
        Assert.Equal(token.ToString(Newtonsoft.Json.Formatting.None), row.KeyJson);
    }

    [Fact]
    public void A_row_is_a_value_its_tokens_cannot_change()
    {
        var key = new JArray("a", 1);
        var row = new ViewRow("doc", key, JValue.CreateNull());
        key.Add("changed");
        ((JArray)row.Key).Add("changed too");

        Assert.Equal("[\"a\",1]", row.KeyJson);
        Assert.Equal(new ViewRow("doc", new JArray("a", 1), JValue.CreateNull()), row);
        Assert.NotEqual(new ViewRow("doc", new JArray("a", 2), JValue.CreateNull()), row);
        Assert.NotEqual(new ViewRow("other", new JArray("a", 1), JValue.CreateNull()), row);
        Assert.Equal(new[] { "a" }, new ViewRow(null, new JArray("a"), new JValue(1)).KeyAs<string[]>());
    }
}
