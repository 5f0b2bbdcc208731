using Akka.Couchbase.TestKit.Views;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Views;

public sealed class ViewReducersTests
{
    private static List<JToken> Values(params string[] json) => json.Select(ViewQuery.ParseJson).ToList();

    private static string S(JToken t) => t.ToString(Formatting.None);

    [Fact]
    public void Count_counts_values_and_sums_counts_on_rereduce()
    {
        Assert.Equal("3", S(ViewReducers.Count(Values("1", "null", "\"x\""), rereduce: false)));
        Assert.Equal("0", S(ViewReducers.Count(Values(), rereduce: false)));
        Assert.Equal("12", S(ViewReducers.Count(Values("5", "7"), rereduce: true)));
    }

    [Fact]
    public void Sum_adds_numbers_arrays_and_objects()
    {
        Assert.Equal("6", S(ViewReducers.Sum(Values("1", "2", "3"), rereduce: false)));
        Assert.Equal("4.5", S(ViewReducers.Sum(Values("1.5", "3"), rereduce: false)));
        Assert.Equal("[4,6,5]", S(ViewReducers.Sum(Values("[1,2]", "[3,4,5]"), rereduce: false)));
        Assert.Equal("{\"a\":3,\"b\":1}", S(ViewReducers.Sum(Values("{\"a\":1}", "{\"a\":2,\"b\":1}"), rereduce: false)));
        Assert.Equal("10", S(ViewReducers.Sum(Values("6", "4"), rereduce: true)));
        Assert.Equal("0", S(ViewReducers.Sum(Values(), rereduce: false)));
    }

    [Fact]
    public void Sum_rejects_non_numbers()
    {
        var ex = Assert.Throws<ViewQueryException>(() => ViewReducers.Sum(Values("1", "\"two\""), rereduce: false));
        Assert.Equal("builtin_reduce_error", ex.Error);
    }

    [Fact]
    public void Stats_gives_sum_count_min_max_sumsqr_and_merges_on_rereduce()
    {
        var first = ViewReducers.Stats(Values("1", "2", "3"), rereduce: false);
        Assert.Equal("{\"sum\":6,\"count\":3,\"min\":1,\"max\":3,\"sumsqr\":14}", S(first));
        var second = ViewReducers.Stats(Values("-1", "0.5"), rereduce: false);
        var merged = ViewReducers.Stats(new List<JToken> { first, second }, rereduce: true);
        Assert.Equal("{\"sum\":5.5,\"count\":5,\"min\":-1,\"max\":3,\"sumsqr\":15.25}", S(merged));
        Assert.Throws<ViewQueryException>(() => ViewReducers.Stats(Values("\"x\""), rereduce: false));
    }

    [Fact]
    public void Run_dispatches_by_name()
    {
        Assert.Equal("2", S(ViewReducers.Run("_count", Values("1", "1"), false)));
        Assert.Equal("2", S(ViewReducers.Run("_sum", Values("1", "1"), false)));
        Assert.Throws<ArgumentException>(() => ViewReducers.Run("_median", Values("1"), false));
    }
}
