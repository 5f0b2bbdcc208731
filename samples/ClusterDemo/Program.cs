using Akka.Actor;
using Akka.Configuration;
using Akka.Couchbase;
using Akka.Couchbase.TestKit;
using Akka.Couchbase.TestKit.Data;
using ClusterDemo;

// A tour of Akka.Couchbase: the original Twisted examples, the message fast path, and a failover.
// Default: an embedded 3-node cluster with SCRAM auth. With --tls: the same cluster reached only over TLS, as a
// user of Capella or of a TLS-only cluster would (couchbases://, the cluster's CA, PLAIN inside TLS).
// With --config FILE: the cluster that HOCON names.
var configFile = args.SkipWhile(a => a != "--config").Skip(1).FirstOrDefault();
var dataset = args.SkipWhile(a => a != "--dataset").Skip(1).FirstOrDefault();
var tls = args.Contains("--tls");
InProcessCluster? embedded = null;
Config hocon;
if (configFile is null)
{
    var options = new InProcessClusterOptions
    {
        Nodes = 3,
        Buckets =
        {
            new BucketDefinition("default", BucketType.Couchbase, VBuckets: 64, Replicas: 1),
            new BucketDefinition(BeerSample.BucketName, BucketType.Couchbase, VBuckets: 64, Replicas: 1),
        },
        Users = { ["demo"] = "demo-password" },
        Tls = tls,
    };
    if (dataset is not null)
    {
        // Couchbase's own beer-sample archive: the views then print what the original printed for it.
        embedded = await BeerSample.StartClusterAsync(dataset, options);
        Console.WriteLine($"Loaded {embedded.Bucket(BeerSample.BucketName).Count} beer-sample documents from {dataset}");
    }
    else
    {
        embedded = await InProcessCluster.StartAsync(options);
        var loaded = SyntheticBeerSample.Load(embedded);
        Console.WriteLine($"Generated {loaded} documents shaped like beer-sample (breweries and beers; --dataset PATH " +
                          "loads Couchbase's beer-sample.zip instead)");
    }
    var seeds = string.Join(",", embedded.Nodes.Select(n => $"\"127.0.0.1:{n.KvPort}\""));
    if (tls)
    {
        // One seed is enough: the cluster map names every node and its TLS ports.
        var connectionString = $"couchbases://127.0.0.1:{embedded.Nodes[0].KvTlsPort}/default?certpath={embedded.Tls.CaCertificatePath}";
        Console.WriteLine($"Embedded cluster over TLS: {connectionString}");
        hocon = ConfigurationFactory.ParseString(
            $"akka.couchbase {{ connection-string = \"{connectionString}\", username = demo, password = demo-password }}");
    }
    else
    {
        Console.WriteLine($"Embedded cluster: {embedded.ConnectionString}");
        hocon = ConfigurationFactory.ParseString(
            $"akka.couchbase {{ servers = [{seeds}], bucket = default, username = demo, password = demo-password }}");
    }
}
else
{
    hocon = ConfigurationFactory.ParseString(File.ReadAllText(configFile));
    Console.WriteLine($"Using the cluster configured in {configFile}");
}

using var metrics = MetricsSummary.Start(); // printed before the summary lines (samples/ClusterDemo/MetricsSummary.cs)
using var system = ActorSystem.Create("cluster-demo", hocon.WithFallback(ConfigurationFactory.ParseString("akka.loglevel = WARNING")));
var couchbase = CouchbaseExtension.Get(system);
var client = couchbase.Client;
try
{
    var checks = new Checks();
    await Tour.RunAsync(system, client, embedded, checks, realBeerSample: dataset is not null);
    metrics.Print();
    checks.PrintSummary();
    if (!checks.AllPassed)
    {
        Console.WriteLine("Tour finished with failed checks.");
        return 1;
    }
    Console.WriteLine("Tour finished.");
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine($"Tour failed: {e}");
    return 1;
}
finally
{
    await system.Terminate();
    if (embedded is not null) await embedded.DisposeAsync();
}
