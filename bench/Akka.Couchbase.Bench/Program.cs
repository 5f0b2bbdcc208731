using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Couchbase;
using Akka.Couchbase.CommandLine;
using Akka.Couchbase.Bench;
using Akka.Couchbase.Bench.Drivers;

// The real stdout carries only the report; everything else (progress, Akka's own log lines) goes to stderr,
// so that with --json the last stdout line is the JSON object.
var stdout = Console.Out;
var log = Console.Error;
Console.SetOut(log);

BenchOptions options;
try
{
    if (args.Contains("-h") || args.Contains("--help"))
    {
        stdout.WriteLine(BenchOptions.Usage);
        return 0;
    }
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    log.WriteLine($"error: {e.Message}");
    log.WriteLine(BenchOptions.Usage);
    return 2;
}

if (options.Idle) return await IdleCost.RunAsync(options, stdout, log);

using var meterListener = options.MeterListener ? new Akka.Couchbase.Bench.MeterListenerLoad() : null;
var system = ActorSystem.Create("bench", BenchConfig.For(options));
try
{
    var client = CouchbaseExtension.Get(system).Client;
    var servers = string.Join(",", options.Servers);
    try
    {
        await client.ConnectAsync(TimeSpan.FromSeconds(15));
    }
    catch (Exception e)
    {
        log.WriteLine($"error: could not connect to {servers} ({options.BucketType} bucket): {e.Message}");
        return 1;
    }
    log.WriteLine($"connected to {servers}; mode {options.Mode.ToString().ToLowerInvariant()}, concurrency {options.Concurrency}" +
                  $"{(options.SubDoc ? ", sub-document" : "")}, collection {options.Collection?.ToString() ?? "(default)"}");

    var workload = new Workload(options);
    var collection = options.Collection is { } c ? client.Collection(c.Scope, c.Name) : client.DefaultCollection;
    if (!options.NoPopulate && await Populator.RunAsync(collection, workload, log) == workload.Keys.Length)
    {
        log.WriteLine($"error: every write to {collection.Scope}.{collection.Name} failed (does the collection exist?)");
        return 1;
    }

    // The bucket holds 50 ms of tokens (at least one per unit of concurrency): enough to catch up after a timer
    // fires late, so the average rate is the one asked for; bursts stay bounded by the concurrency anyway.
    var limiter = options.Rate > 0
        ? new RateLimiter(options.Rate, burst: Math.Max(options.Concurrency, (int)Math.Min(int.MaxValue, options.Rate / 20)))
        : null;
    var operationTimeout = client.Settings.OperationTimeout;
    ILoadDriver driver = options.Mode switch
    {
        BenchMode.Tell => new TellLoad(system, client.Supervisor, workload, options, limiter, operationTimeout),
        BenchMode.Flow => new FlowLoad(system, client, workload, options),
        BenchMode.Ask => new AskLoad(client.Supervisor, workload, options, limiter, operationTimeout + TimeSpan.FromSeconds(2)),
        _ => new TaskLoad(client, workload, options, limiter),
    };

    using var sampler = options.AllocationProfile ? new AllocationTicks(static () => RunClock.CurrentPhase == Phase.Measure) : null;
    long allocated;
    TimeSpan cpu;
    int[] collections;
    double seconds;
    await using (var progress = new ProgressReporter(driver.Stats, log))
    {
        RunClock.Enter(Phase.Warmup);
        driver.Start();
        if (options.WarmupSeconds > 0) await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds));

        RunClock.Enter(Phase.Measure);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var collectionsBefore = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
        var started = Stopwatch.GetTimestamp();
        progress.MeasureStarted();
        log.WriteLine("timed part: start"); // markers for a script that samples this process from outside (/proc)
        log.Flush();
        await Task.Delay(TimeSpan.FromSeconds(options.DurationSeconds));
        seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        log.WriteLine("timed part: end");
        log.Flush();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        collections = new[]
        {
            GC.CollectionCount(0) - collectionsBefore[0], GC.CollectionCount(1) - collectionsBefore[1],
            GC.CollectionCount(2) - collectionsBefore[2],
        };
        RunClock.Enter(Phase.Stop);
    }

    var drained = await driver.DrainAsync(operationTimeout + TimeSpan.FromSeconds(3));
    var report = new BenchReport(options, driver.Stats, seconds, allocated, cpu, collections, drained);
    report.WriteText(stdout);
    sampler?.Write(log, driver.Stats.Sum(s => s.Ops), "op");
    if (options.Json) stdout.WriteLine(report.ToJson());
    stdout.Flush();
    return report.Errors > 0 ? 3 : 0;
}
finally
{
    await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { });
}
