using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Couchbase;
using Akka.Couchbase.CommandLine;
using Akka.Couchbase.Streams.Dsl;
using Akka.Couchbase.Streams.Views;
using Akka.Couchbase.ViewBench;
using Akka.Streams;
using Akka.Streams.Dsl;
using Newtonsoft.Json;

// A large view through Akka.Couchbase.Streams: how fast rows reach a consumer that only counts them, and how much
// memory the process grows by while a slow consumer holds the stream back (bench/README.md, "Large views").
ViewBenchOptions options;
try
{
    options = ViewBenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"view-bench: {e.Message}\n\n{ViewBenchOptions.Usage}");
    return 2;
}

var credentials = options.Username is null ? "" : $", username = {Quote(options.Username)}, password = {Quote(options.Password ?? "")}";
var hocon = ConfigurationFactory.ParseString(
    $"akka.loglevel = WARNING\nakka.couchbase {{ connection-string = {Quote(options.ConnectionString)}, bucket = {Quote(options.Bucket)}{credentials} }}");
using var system = ActorSystem.Create("view-bench", hocon);
var client = CouchbaseExtension.Get(system).Client;
try
{
    await client.ConnectAsync(TimeSpan.FromSeconds(15));
    var query = new ViewQuery(ViewDataSet.DesignDocument, ViewDataSet.View) { Stale = ViewStale.Ok };
    switch (options.Mode)
    {
        case "setup":
            return await SetupAsync();
        case "fast":
            return await FastAsync(query);
        default:
            return await SlowAsync(query);
    }
}
catch (Exception e)
{
    Console.Error.WriteLine($"view-bench: {e.Message}");
    return 1;
}
finally
{
    await system.Terminate();
}

async Task<int> SetupAsync()
{
    var watch = Stopwatch.StartNew();
    await ViewDataSet.WriteDocumentsAsync(client, options.Docs, options.RowsPerDocument);
    await ViewDataSet.PutDesignDocumentAsync(options.ViewsUrl!, options.Bucket, options.Username, options.Password);
    var built = await client.QueryAllAsync(system,
        new ViewQuery(ViewDataSet.DesignDocument, ViewDataSet.View) { Stale = ViewStale.False, Limit = 1 });
    Console.Error.WriteLine($"view-bench: {options.Docs} documents, index of {built.TotalRows} rows built in {watch.Elapsed.TotalSeconds:F1} s");
    if (built.TotalRows != options.Rows)
    {
        Console.Error.WriteLine($"view-bench: the view has {built.TotalRows} rows, not {options.Rows}");
        return 1;
    }
    return 0;
}

async Task<int> FastAsync(ViewQuery query)
{
    // Warm-up: one whole pass first, so that the row reader and the stream's stages run their final (tier-1) code
    // when the timed pass counts; a short warm-up left the JIT a third of the timed pass's CPU.
    await CouchbaseViews.Query(client, query).RunWith(Sink.Ignore<ViewRow>(), system.Materializer());
    var measuring = true;
    using var profile = options.AllocationProfile ? new AllocationTicks(() => Volatile.Read(ref measuring)) : null;
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var cpu = Environment.CpuUsage.TotalTime;
    var watch = Stopwatch.StartNew();
    var rows = await CouchbaseViews.Query(client, query)
        .RunAggregate(0L, (n, _) => n + 1, system.Materializer());
    var seconds = watch.Elapsed.TotalSeconds;
    var cpuUs = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds;
    var perRow = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)Math.Max(rows, 1);
    if (profile is not null)
    {
        Volatile.Write(ref measuring, false);
        profile.Write(Console.Error, rows, "row");
    }
    Report(new Dictionary<string, object>
    {
        ["mode"] = "fast", ["rows"] = rows, ["seconds"] = Math.Round(seconds, 3),
        ["rows_per_sec"] = Math.Round(rows / seconds), ["alloc_bytes_per_row"] = Math.Round(perRow, 1),
        ["cpu_us_per_row"] = Math.Round(cpuUs / Math.Max(rows, 1), 3),
    }, $"fast consumer: {rows:N0} rows in {seconds:F2} s = {rows / seconds:N0} rows/s, {perRow:F0} B allocated per row");
    return rows == options.Rows ? 0 : 3;
}

async Task<int> SlowAsync(ViewQuery query)
{
    await CouchbaseViews.Query(client, query with { Limit = 50_000 }).RunWith(Sink.Ignore<ViewRow>(), system.Materializer());
    var memory = new MemorySampler();
    long consumed = 0;
    var perTick = Math.Max(1, options.Rate / 10);
    var (kill, done) = CouchbaseViews.Query(client, query)
        .Throttle(perTick, TimeSpan.FromMilliseconds(100), perTick, ThrottleMode.Shaping)
        .ViaMaterialized(KillSwitches.Single<ViewRow>(), Keep.Right)
        .ToMaterialized(Sink.ForEach<ViewRow>(_ => Interlocked.Increment(ref consumed)), Keep.Both)
        .Run(system.Materializer());
    var samples = new List<double>();
    for (var s = 1; s <= options.Seconds && !done.IsCompleted; s++)
    {
        await Task.WhenAny(done, Task.Delay(TimeSpan.FromSeconds(1)));
        var (rss, _) = memory.Sample();
        samples.Add(Math.Round(rss / 1048576.0, 1));
        if (!options.Json && s % 10 == 0)
            Console.Error.WriteLine($"view-bench: {s} s, {Interlocked.Read(ref consumed):N0} rows taken, RSS +{rss / 1048576.0:F1} MB");
    }
    // What the process holds while the stream runs, garbage aside: a full collection before the stream stops.
    var live = memory.LiveGrowth();
    kill.Shutdown();
    await done;
    var rows = Interlocked.Read(ref consumed);
    Report(new Dictionary<string, object>
    {
        ["mode"] = "slow", ["rate"] = options.Rate, ["seconds"] = samples.Count, ["rows_consumed"] = rows,
        ["rss_growth_mb"] = Math.Round(memory.MaxRssGrowth / 1048576.0, 1),
        ["managed_growth_mb"] = Math.Round(memory.MaxManagedGrowth / 1048576.0, 1),
        ["live_growth_mb"] = Math.Round(live / 1048576.0, 1), ["gen0_collections"] = memory.Gen0Collections,
        ["base_rss_mb"] = Math.Round(memory.BaseRss / 1048576.0, 1), ["rss_growth_samples_mb"] = samples,
    }, $"slow consumer ({options.Rate} rows/s): {rows:N0} rows in {samples.Count} s, memory growth at most " +
       $"{memory.MaxRssGrowth / 1048576.0:F1} MB resident, {memory.MaxManagedGrowth / 1048576.0:F1} MB managed; " +
       $"{live / 1048576.0:F1} MB live after a full collection, {memory.Gen0Collections} gen0 collections");
    return 0;
}

void Report(Dictionary<string, object> figures, string line)
{
    Console.WriteLine(options.Json ? JsonConvert.SerializeObject(figures) : line);
}

static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
