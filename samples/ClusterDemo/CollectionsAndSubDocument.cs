using Akka.Couchbase;
using Akka.Couchbase.TestKit;

namespace ClusterDemo;

/// <summary>The tour's part on Couchbase 7's data model: a named collection, and reading and changing parts of a document.</summary>
internal static class CollectionsAndSubDocument
{
    public static async Task RunAsync(CouchbaseClient client, InProcessCluster? embedded, Checks checks)
    {
        if (embedded is not null)
        {
            var collections = embedded.Bucket("default").Collections;
            collections.CreateScope("inventory");
            collections.CreateCollection("inventory", "airline");
        }
        var airline = client.Collection("inventory", "airline");
        try
        {
            await airline.UpsertAsync("airline_10", new { name = "40-Mile Air", callsign = "MILE-AIR", country = "United States", routes = new[] { "KZ-LAX" } });
        }
        catch (KvUnknownCollectionException e)
        {
            Console.WriteLine($"No collection {e.Collection} on this cluster: skipping the collection and sub-document part");
            return;
        }
        var inDefault = await client.GetAsync("airline_10");
        Console.WriteLine($"Collection inventory.airline holds airline_10; the default collection: {inDefault.Outcome}");
        checks.That(inDefault.Outcome == KvOutcome.NotFound, "a document of a named collection is not in the default one");

        var parts = await airline.LookupInAsync("airline_10", specs => specs.Get("name").Exists("iata").Count("routes"));
        Console.WriteLine($"lookupIn: name={parts.ContentAs<string>(0)}, has iata: {parts.Exists(1)}, routes: {parts.ContentAs<int>(2)}");

        var changed = await airline.MutateInAsync("airline_10", specs => specs
            .Upsert("iata", "Q5")
            .ArrayAppend("routes", "KZ-SFO")
            .Increment("version", 1));
        Console.WriteLine($"mutateIn: {changed.Outcome}, version now {changed.ContentAs<long>(2)}");
        checks.That(changed.Outcome == KvOutcome.Success && parts.ContentAs<string>(0) == "40-Mile Air", "lookupIn and mutateIn work");

        var refused = await airline.MutateInAsync("airline_10", specs => specs.Insert("name", "other"));
        Console.WriteLine($"mutateIn insert of an existing path: {refused.Outcome} (spec {refused.FailedIndex}: {refused.FailedStatus})");
        checks.That(refused.Outcome == KvOutcome.PathFailure, "inserting an existing path is a PathFailure outcome");
        Console.WriteLine($"The document now: {(await airline.GetAsync("airline_10")).ContentAs<string>()}");
    }
}
