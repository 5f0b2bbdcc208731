using System.Diagnostics;
using Akka.Actor;
using Akka.Couchbase;
using Akka.Couchbase.Chaos;
using Akka.Couchbase.Chaos.Checks;
using Akka.Couchbase.Chaos.Faults;
using Akka.Couchbase.Chaos.Ledger;
using Akka.Couchbase.Chaos.Load;
using Akka.Couchbase.Chaos.Report;
using Akka.Couchbase.TestKit;

// The real stdout carries the report; progress, the fault timeline as it happens and Akka's own log go to stderr.
var stdout = Console.Out;
var log = Console.Error;
Console.SetOut(log);

ChaosOptions options;
try
{
    if (args.Contains("-h") || args.Contains("--help"))
    {
        stdout.WriteLine(ChaosOptions.Usage);
        return 0;
    }
    options = ChaosOptions.Parse(args);
}
catch (ArgumentException e)
{
    log.WriteLine($"error: {e.Message}");
    log.WriteLine(ChaosOptions.Usage);
    return 2;
}

var commit = Commit.Describe();
log.WriteLine($"chaos: seed {options.EffectiveSeed} (rerun the same fault schedule with --seed {options.EffectiveSeed}), transport {options.Transport}, commit {commit}");

// However the run goes, it ends: past the load, the heal, the grace for the last replies, the recovery and the
// read-back (each bounded), a hung run is a failure of its own.
var hardLimit = TimeSpan.FromSeconds(options.DurationSeconds) + 2 * options.ReplyBound + TimeSpan.FromSeconds(150);
using var watchdog = new Timer(_ =>
{
    stdout.WriteLine($"chaos: FAIL the run did not finish within {hardLimit.TotalSeconds:F0}s (hung), seed {options.EffectiveSeed}");
    stdout.Flush();
    Environment.Exit(1);
}, null, hardLimit, Timeout.InfiniteTimeSpan);

const int vBuckets = 64;
InProcessCluster? cluster = null;
ActorSystem? system = null;
try
{
    cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions
    {
        Nodes = options.Nodes,
        Buckets = { new BucketDefinition(ChaosConfig.Bucket, BucketType.Couchbase, VBuckets: vBuckets, Replicas: 1) },
        Users = { [ChaosConfig.User] = ChaosConfig.Password },
    });
    system = ActorSystem.Create("chaos", ChaosConfig.For(options, cluster));
    var client = CouchbaseExtension.Get(system).Client;
    await client.ConnectAsync(TimeSpan.FromSeconds(20));

    var clock = new Stopwatch();
    var violations = new Violations(clock);
    var plan = FaultPlan.Create(options.EffectiveSeed, options.DurationSeconds, options.FaultIntervalSeconds, options.Nodes,
        ChaosConfig.Bucket, vBuckets);
    var load = new LoadRunner(system, client, options, violations);
    await load.SetUpAsync(log);
    log.WriteLine($"{plan.Count(s => s.StartsFault)} faults planned ({plan.Count} steps) over {options.DurationSeconds}s");

    await using var memory = new MemoryMonitor(clock);
    memory.MarkBaseline();
    var retired = new RetiredAppends(load.Owners, cluster.Bucket(ChaosConfig.Bucket), violations,
        options.ReplyBound + TimeSpan.FromSeconds(5));
    var injector = new FaultInjector(cluster, plan, clock, log);
    using var stopFaults = new CancellationTokenSource();
    double loadSeconds;
    await using (new Progress(clock, load, injector, violations, log, TimeSpan.FromSeconds(5)))
    {
        clock.Start();
        load.Start();
        var faults = injector.RunAsync(stopFaults.Token);
        await Task.Delay(TimeSpan.FromSeconds(options.DurationSeconds));
        stopFaults.Cancel();
        await faults;

        // Heal under load, then let the load see the healed cluster for a moment before it stops.
        await injector.HealAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        load.StopIssuing();
        loadSeconds = clock.Elapsed.TotalSeconds;
    }

    log.WriteLine($"load stopped; waiting up to {options.ReplyBound.TotalSeconds:F1}s for {load.Outstanding} replies");
    await load.DrainAsync(options.ReplyBound);
    foreach (var owner in load.Owners)
        lock (owner.Sync) owner.Ledger.ReportUnanswered();

    await retired.DisposeAsync();
    var readBack = new ReadBack(client, cluster, ChaosConfig.Bucket, violations);
    await readBack.AwaitRecoveryAsync(TimeSpan.FromSeconds(30));
    await readBack.RunAsync(load.Owners);
    await memory.CheckAsync(loadSeconds, options.MaxHeapMiB, violations);

    var report = new ChaosReport(options, load, injector.Applied, violations, memory, readBack, retired.Tally, loadSeconds, commit);
    report.WriteText(stdout);
    if (options.Json) stdout.WriteLine(report.ToJson());
    stdout.WriteLine(report.VerdictLine());
    stdout.Flush();
    return report.Passed ? 0 : 1;
}
catch (Exception e)
{
    log.WriteLine(e);
    stdout.WriteLine($"chaos: FAIL the harness could not complete the run ({e.GetType().Name}: {e.Message}), seed {options.EffectiveSeed}");
    stdout.Flush();
    return 1;
}
finally
{
    if (system != null) await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { });
    if (cluster != null) await cluster.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { });
}
