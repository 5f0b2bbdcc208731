namespace Akka.Couchbase.Tests.Shared;

/// <summary>
/// What Couchbase's beer-sample data set answers, as the original Twisted client printed it: one list for every test
/// project that queries the data set (linked into each).
/// </summary>
internal static class BeerSampleFacts
{
    /// <summary>The ids of the first five rows of <c>beer/brewery_beers</c>.</summary>
    public static readonly string[] FirstFiveBreweryBeers =
    {
        "21st_amendment_brewery_cafe",
        "21st_amendment_brewery_cafe-21a_ipa",
        "21st_amendment_brewery_cafe-563_stout",
        "21st_amendment_brewery_cafe-amendment_pale_ale",
        "21st_amendment_brewery_cafe-bitter_american",
    };
}
