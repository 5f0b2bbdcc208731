using Akka.Configuration;
using Akka.Couchbase.Streams.Dsl;
using Akka.Couchbase.Streams.Views;
using Akka.Streams;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Streams.Tests;

/// <summary>
/// A bad parameter or setting is refused the same way by every view entry point: by the call itself, before any
/// stream exists or anything is sent, with an <see cref="ArgumentException"/> that names the view and the parameter.
/// </summary>
[Collection(BeerViewsCollection.Name)]
public sealed class ViewArgumentsSpec : Akka.TestKit.Xunit2.TestKit
{
    private readonly BeerSampleCluster _beer;

    public ViewArgumentsSpec(BeerSampleCluster beer, ITestOutputHelper output)
        : base(ConfigurationFactory.ParseString(beer.Hocon()), output: output)
    {
        _beer = beer;
    }

    private CouchbaseClient Client => CouchbaseExtension.Get(Sys).Client;

    public static TheoryData<string> EntryPoints => new()
    {
        "Query", "Query(endpoints)", "QueryAllAsync", "QueryAllAsync(system)", "QueryToActor", "QueryWithDocuments",
    };

    private void Call(string entryPoint, ViewQuery query, ViewSettings? settings = null)
    {
        var endpoints = new ViewSettings { Endpoints = new[] { new Uri($"http://127.0.0.1:{_beer.Cluster.Nodes[0].ViewsPort}/beer-sample") } };
        switch (entryPoint)
        {
            case "Query": CouchbaseViews.Query(Client, query, settings); break;
            case "Query(endpoints)": CouchbaseViews.Query(query, settings is null ? endpoints : settings with { Endpoints = endpoints.Endpoints }); break;
            case "QueryAllAsync": _ = Client.QueryAllAsync(query, Sys.Materializer(), settings); break;
            case "QueryAllAsync(system)": _ = Client.QueryAllAsync(Sys, query); break;
            case "QueryToActor": _ = Client.QueryToActor(query, TestActor, Sys.Materializer(), settings: settings); break;
            default: CouchbaseViews.QueryWithDocuments(Client, query, settings: settings); break;
        }
    }

    [Theory]
    [MemberData(nameof(EntryPoints))]
    public void A_negative_limit_is_refused_by_the_call_naming_the_view(string entryPoint)
    {
        var queries = _beer.Cluster.Views.QueryCount;
        var e = Assert.Throws<ArgumentException>(() => Call(entryPoint, new ViewQuery("beer", "brewery_beers") { Limit = -1 }));

        Assert.StartsWith("view beer/brewery_beers: limit must not be negative, was -1", e.Message);
        Assert.Equal(nameof(ViewQuery.Limit), e.ParamName);
        Assert.Equal(queries, _beer.Cluster.Views.QueryCount);
    }

    [Theory]
    [MemberData(nameof(EntryPoints))]
    public void A_key_that_is_no_json_is_refused_by_the_call_naming_the_view(string entryPoint)
    {
        var loop = new List<object>();
        loop.Add(loop);
        var e = Assert.Throws<ArgumentException>(() => Call(entryPoint, new ViewQuery("beer", "brewery_beers") { StartKey = loop }));

        Assert.StartsWith("view beer/brewery_beers: startkey cannot be written as JSON", e.Message);
    }

    [Theory]
    [InlineData("Query")]
    [InlineData("Query(endpoints)")]
    [InlineData("QueryAllAsync")]
    [InlineData("QueryToActor")]
    [InlineData("QueryWithDocuments")]
    public void A_setting_that_is_not_positive_is_refused_by_the_call_naming_the_view(string entryPoint)
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Call(entryPoint, new ViewQuery("beer", "brewery_beers") { Development = true }, new ViewSettings { IdleTimeout = TimeSpan.Zero }));

        Assert.StartsWith("view dev_beer/brewery_beers: settings: idle-timeout must be positive", e.Message);
    }

    [Fact]
    public void Counts_below_one_are_refused_naming_the_view()
    {
        var query = new ViewQuery("beer", "brewery_beers");
        var batch = Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            _ = Client.QueryToActor(query, TestActor, Sys.Materializer(), maxBatch: 0);
        });
        Assert.StartsWith("view beer/brewery_beers: maxBatch must be at least 1, was 0", batch.Message);
        var parallelism = Assert.Throws<ArgumentOutOfRangeException>(() => CouchbaseViews.QueryWithDocuments(Client, query, parallelism: 0));
        Assert.StartsWith("view beer/brewery_beers: parallelism must be at least 1, was 0", parallelism.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => CouchbaseViews.ToActor<ViewRow>(TestActor, maxBatch: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CouchbaseViews.IncludeDocuments(Client, parallelism: -1));
    }

    [Fact]
    public void A_bad_idle_timeout_in_hocon_is_refused_naming_the_key()
    {
        var e = Assert.Throws<ArgumentException>(() => ViewSettings.Create(ConfigurationFactory.ParseString("idle-timeout = 0s")));
        Assert.Contains("akka.couchbase.views.idle-timeout must be positive", e.Message);
    }

    [Theory]
    [InlineData("timeout = soon", "akka.couchbase.views.timeout is 'soon', not a duration (such as 2500ms or 5s)")]
    [InlineData("max-retries = a few", "akka.couchbase.views.max-retries is 'a few', not a whole number")]
    public void A_value_of_the_wrong_kind_in_hocon_is_refused_naming_the_key(string hocon, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => ViewSettings.Create(ConfigurationFactory.ParseString(hocon)));
        Assert.Equal(message, e.Message);
    }
}
