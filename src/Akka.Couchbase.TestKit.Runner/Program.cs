using Akka.Couchbase;
using System.Runtime.InteropServices;
using Akka.Couchbase.TestKit;
using Akka.Couchbase.TestKit.Data;
using Akka.Couchbase.TestKit.Runner;
using Newtonsoft.Json.Linq;

RunnerOptions options;
try
{
    options = RunnerOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(RunnerOptions.Usage);
    return 2;
}
if (options.Help)
{
    Console.Out.WriteLine(RunnerOptions.Usage);
    return 0;
}

var clusterOptions = new InProcessClusterOptions
{
    Nodes = options.Nodes,
    KvPortBase = options.KvPort,
    MgmtPortBase = options.MgmtPort,
    ViewsPortBase = options.ViewsPort,
    Tls = options.Tls,
    KvTlsPortBase = options.KvTlsPort,
    MgmtTlsPortBase = options.MgmtTlsPort,
    ViewsTlsPortBase = options.ViewsTlsPort,
    ClientCertificates = options.ClientCertificates,
    Users = { [options.User] = options.Password },
};
var buckets = options.Buckets.Count > 0 ? options.Buckets : new List<string> { options.BeerSample != null ? "beer-sample" : "default" };
if (options.BeerSample != null && !buckets.Contains("beer-sample")) buckets.Add("beer-sample");
foreach (var name in buckets)
{
    var type = name == "beer-sample" ? BucketType.Couchbase : options.BucketType;
    clusterOptions.Buckets.Add(new BucketDefinition(name, type, options.VBuckets, options.Replicas));
}

await using var cluster = await InProcessCluster.StartAsync(clusterOptions);
try
{
    foreach (var bucket in cluster.Buckets.Values.Where(b => b.Type == BucketType.Couchbase))
        foreach (var (scope, collection) in options.Collections)
        {
            if (bucket.Collections.ScopeIdOf(scope) is null) bucket.Collections.CreateScope(scope);
            bucket.Collections.CreateCollection(scope, collection);
        }
}
catch (Akka.Couchbase.TestKit.Cluster.CollectionManifestException e)
{
    Console.Error.WriteLine("--collection: " + e.Message);
    return 2;
}
var loaded = 0;
if (options.BeerSample != null) loaded = await BeerSample.LoadAsync(cluster, "beer-sample", options.BeerSample);

var ready = new JObject
{
    ["connectionString"] = options.Tls ? cluster.Tls.ConnectionString : cluster.ConnectionString,
    ["buckets"] = new JArray(buckets),
    ["user"] = options.User,
    ["nodes"] = new JArray(cluster.Nodes.Select(n => new JObject
    {
        ["index"] = n.Index,
        ["host"] = n.Host,
        ["kv"] = n.KvPort,
        ["mgmt"] = n.MgmtPort,
        ["views"] = n.ViewsPort,
    })),
};
if (options.Tls) ReadyLine.AddTls(ready, cluster, options.User);
if (options.BeerSample != null) ready["beerSampleDocuments"] = loaded;
Console.Out.WriteLine(ready.ToString(Newtonsoft.Json.Formatting.None));
Console.Out.Flush();

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
{
    ctx.Cancel = true;
    stop.TrySetResult();
});
if (!options.IgnoreStdin)
{
    _ = Task.Run(async () =>
    {
        var buffer = new char[256];
        using var stdin = Console.In;
        while (await stdin.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false) > 0) { }
        stop.TrySetResult();
    });
}
await stop.Task;
return 0;
