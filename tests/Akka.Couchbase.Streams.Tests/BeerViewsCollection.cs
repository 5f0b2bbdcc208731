using Xunit;

namespace Akka.Couchbase.Streams.Tests;

/// <summary>
/// The specs that share one <see cref="BeerSampleCluster"/> and change its view faults: they run one after another,
/// and each clears the faults it set.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BeerViewsCollection : ICollectionFixture<BeerSampleCluster>
{
    public const string Name = "beer-sample views";
}
