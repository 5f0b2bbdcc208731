using SampleData = Akka.Couchbase.TestKit.Data.BeerSample;

namespace Akka.Couchbase.TestKit.Tests.Views;

/// <summary>Puts the beer-sample data set (<c>../shared/data/beer-sample.zip</c>, read in place) into an in-memory view source.</summary>
internal static class BeerSample
{
    /// <summary>Loads every document into <paramref name="source"/> under <paramref name="bucket"/> and returns the design document JSON.</summary>
    public static (int Documents, string DesignDocument) Load(InMemoryViewSource source, string bucket)
    {
        var zip = SampleData.LocateZip();
        source.AddBucket(bucket);
        var count = 0;
        foreach (var (id, json) in SampleData.ReadDocuments(zip))
        {
            source.Put(bucket, id, json, isJson: true, flags: 0x02000006);
            count++;
        }
        var design = SampleData.ReadDesignDocuments(zip).SingleOrDefault(d => d.Name == "beer").Json
                     ?? throw new InvalidDataException($"beer-sample/design_docs/beer.json is missing from {zip}");
        return (count, System.Text.Encoding.UTF8.GetString(design));
    }
}
