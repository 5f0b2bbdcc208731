using Akka.Couchbase.TestKit.Views;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Views;

public sealed class ViewCollationTests
{
    private static JToken J(string json) => ViewQuery.ParseJson(json);

    [Fact]
    public void Types_sort_null_false_true_numbers_strings_arrays_objects()
    {
        var ordered = new[] { "null", "false", "true", "-5", "0", "1.5", "2", "100", "\"\"", "\"a\"", "\"b\"", "[]", "[null]", "[1]", "[1,2]", "[\"a\"]", "{}", "{\"a\":1}" };
        for (var i = 0; i < ordered.Length; i++)
        for (var j = 0; j < ordered.Length; j++)
        {
            var expected = i.CompareTo(j);
            Assert.True(Math.Sign(ViewCollation.Compare(J(ordered[i]), J(ordered[j]))) == expected,
                $"{ordered[i]} vs {ordered[j]} should be {expected}");
        }
    }

    [Fact]
    public void Strings_are_case_insensitive_first_with_lower_case_first_on_a_tie()
    {
        Assert.True(ViewCollation.CompareStrings("abc", "ABC") < 0);
        Assert.True(ViewCollation.CompareStrings("ABC", "abd") < 0);
        Assert.True(ViewCollation.CompareStrings("abc", "abd") < 0);
        Assert.True(ViewCollation.CompareStrings("a", "B") < 0);
        Assert.True(ViewCollation.CompareStrings("B", "c") < 0);
        Assert.Equal(0, ViewCollation.CompareStrings("same", "same"));
    }

    [Fact]
    public void The_builtin_fallback_gives_the_same_case_order()
    {
        Assert.True(ViewCollation.FallbackCompare("abc", "ABC") < 0);
        Assert.True(ViewCollation.FallbackCompare("ABC", "abd") < 0);
        Assert.True(ViewCollation.FallbackCompare("a", "B") < 0);
        Assert.True(ViewCollation.FallbackCompare("a-b", "a1") < 0, "punctuation before digits");
        Assert.True(ViewCollation.FallbackCompare("a1", "aa") < 0, "digits before letters");
        Assert.True(ViewCollation.FallbackCompare("ab", "abc") < 0, "prefix first");
        Assert.Equal(0, ViewCollation.FallbackCompare("x", "x"));
        var ids = new[] { "21st_amendment_brewery_cafe-bitter_american", "21st_amendment_brewery_cafe", "21st_amendment_brewery_cafe-21a_ipa",
            "21st_amendment_brewery_cafe-amendment_pale_ale", "21st_amendment_brewery_cafe-563_stout" };
        Array.Sort(ids, ViewCollation.FallbackCompare);
        Assert.Equal(new[] { "21st_amendment_brewery_cafe", "21st_amendment_brewery_cafe-21a_ipa", "21st_amendment_brewery_cafe-563_stout",
            "21st_amendment_brewery_cafe-amendment_pale_ale", "21st_amendment_brewery_cafe-bitter_american" }, ids);
    }

    [Fact]
    public void Numbers_compare_by_value_whatever_their_form()
    {
        Assert.Equal(0, ViewCollation.Compare(J("1"), J("1.0")));
        Assert.True(ViewCollation.Compare(J("2"), J("10")) < 0);
        Assert.True(ViewCollation.Compare(J("-1e3"), J("-999")) < 0);
        Assert.True(ViewCollation.Compare(J("99999999999999999999"), J("1e19")) > 0);
    }

    [Fact]
    public void Arrays_compare_element_by_element_then_by_length()
    {
        Assert.True(ViewCollation.Compare(J("[\"a\"]"), J("[\"a\",\"b\"]")) < 0);
        Assert.True(ViewCollation.Compare(J("[\"a\",{}]"), J("[\"b\"]")) < 0);
        Assert.True(ViewCollation.Compare(J("[\"a\",\"zzz\"]"), J("[\"a\",{}]")) < 0);
        Assert.True(ViewCollation.Compare(J("[1,[2]]"), J("[1,[2,0]]")) < 0);
        Assert.Equal(0, ViewCollation.Compare(J("[1,\"x\",null]"), J("[1,\"x\",null]")));
    }

    [Fact]
    public void Objects_compare_member_by_member()
    {
        Assert.True(ViewCollation.Compare(J("{\"a\":1}"), J("{\"a\":2}")) < 0);
        Assert.True(ViewCollation.Compare(J("{\"a\":1}"), J("{\"b\":0}")) < 0);
        Assert.True(ViewCollation.Compare(J("{\"a\":1}"), J("{\"a\":1,\"b\":0}")) < 0);
    }

    [Fact]
    public void A_missing_token_counts_as_null()
    {
        Assert.Equal(0, ViewCollation.Compare(null, J("null")));
        Assert.True(ViewCollation.Compare(null, J("false")) < 0);
    }
}
