using Akka.Couchbase.TestKit.Views;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Views;

public sealed class DesignDocumentStoreTests
{
    private const string Valid = """
        {"views":{"all":{"map":"function (doc, meta) { emit(meta.id, null); }"},
                  "sum":{"map":"function (doc, meta) { emit(doc.k, doc.v); }","reduce":"_sum"},
                  "js":{"map":"function (doc, meta) { emit(doc.k, doc.v); }","reduce":"function(keys, values, rereduce) { return sum(values); }"}}}
        """;

    [Fact]
    public void Put_get_list_delete()
    {
        var store = new DesignDocumentStore();
        var doc = store.Put("b", "_design/dd", Valid);
        Assert.Equal("dd", doc.Name);
        Assert.Equal("_design/dd", doc.Id);
        Assert.StartsWith("1-", doc.Revision);
        Assert.Equal(3, doc.Views.Count);
        Assert.Equal("_sum", doc.Views["sum"].BuiltInReduce);
        Assert.Null(doc.Views["js"].BuiltInReduce);
        Assert.False(doc.Views["all"].HasReduce);
        Assert.Same(doc, store.Get("b", "dd"));
        Assert.Null(store.Get("other", "dd"));

        var again = store.Put("b", "dd", Valid);
        Assert.StartsWith("2-", again.Revision);
        store.Put("b", "dev_x", "{}");
        Assert.Equal(new[] { "dd", "dev_x" }, store.List("b").Select(d => d.Name));
        Assert.True(store.List("b")[1].IsDevelopment);

        Assert.True(store.Delete("b", "dd"));
        Assert.False(store.Delete("b", "dd"));
        Assert.True(store.WasDeleted("b", "dd"));
        Assert.False(store.WasDeleted("b", "never"));
        Assert.Null(store.Get("b", "dd"));
        store.Put("b", "dd", Valid);
        Assert.False(store.WasDeleted("b", "dd"));

        store.RemoveBucket("b");
        Assert.Empty(store.List("b"));
    }

    [Fact]
    public void ListJson_has_the_cluster_manager_shape()
    {
        var store = new DesignDocumentStore();
        store.Put("b", "dd", Valid);
        store.Put("b", "dev_dd", "{\"views\":{}}");
        var list = Newtonsoft.Json.Linq.JObject.Parse(store.ListJson("b"));
        var rows = (Newtonsoft.Json.Linq.JArray)list["rows"]!;
        Assert.Equal(2, rows.Count);
        Assert.Equal("_design/dd", (string?)rows[0]["doc"]!["meta"]!["id"]);
        Assert.StartsWith("1-", (string?)rows[0]["doc"]!["meta"]!["rev"]);
        Assert.Equal("_sum", (string?)rows[0]["doc"]!["json"]!["views"]!["sum"]!["reduce"]);
        Assert.Equal("/pools/default/buckets/b/ddocs/_design%2Fdev_dd/controller/compactView", (string?)rows[1]["controllers"]!["compact"]);
        Assert.Equal("{\"rows\":[]}", store.ListJson("empty"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"views\":")]
    [InlineData("[1,2]")]
    [InlineData("{\"views\":5}")]
    [InlineData("{\"views\":{\"v\":5}}")]
    [InlineData("{\"views\":{\"v\":{}}}")]
    [InlineData("{\"views\":{\"v\":{\"map\":7}}}")]
    [InlineData("{\"views\":{\"v\":{\"map\":\"function(doc, meta) { emit( }\"}}}")]
    [InlineData("{\"views\":{\"v\":{\"map\":\"42\"}}}")]
    [InlineData("{\"views\":{\"v\":{\"map\":\"function(){}); (function(){}\"}}}")]
    [InlineData("{\"views\":{\"v\":{\"map\":\"function(){}\",\"reduce\":\"_median\"}}}")]
    [InlineData("{\"views\":{\"v\":{\"map\":\"function(){}\",\"reduce\":\"function(k, v) { return\"}}}")]
    [InlineData("{\"views\":{\"v\":{\"map\":\"function(){}\",\"reduce\":3}}}")]
    [InlineData("{\"language\":\"erlang\",\"views\":{}}")]
    public void Put_rejects_invalid_documents(string json)
    {
        var store = new DesignDocumentStore();
        var ex = Assert.Throws<DesignDocumentException>(() => store.Put("b", "dd", json));
        Assert.False(string.IsNullOrWhiteSpace(ex.Reason));
        Assert.Null(store.Get("b", "dd"));
    }

    [Fact]
    public void Compiling_does_not_run_code_beyond_the_function()
    {
        var store = new DesignDocumentStore();
        Assert.Throws<DesignDocumentException>(() =>
            store.Put("b", "dd", "{\"views\":{\"v\":{\"map\":\"function(){}, (function(){ while(true){} })()\"}}}"));
    }
}
