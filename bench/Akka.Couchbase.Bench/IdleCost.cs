using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Configuration;

namespace Akka.Couchbase.Bench;

/// <summary>
/// <c>--idle</c>: what a connected client with nothing in flight costs, in CPU time of this process. It measures
/// an actor system without the client first (the floor), then the same configuration with a connected client,
/// each over <c>--duration</c> seconds, and reports both and the difference as a share of one core. CPU time, not
/// wall-clock time: other load on the machine does not change it much.
/// <para>
/// The floor has Akka's scheduler running (one message scheduled), as in every application that ever used a timer,
/// an Ask, a ReceiveTimeout or Akka.IO's connect timeout: once started, Akka's HashedWheelTimer ticks every
/// <c>akka.scheduler.tick-duration</c> (10 ms) for the life of the actor system, which on its own costs a few
/// percent of a core here (thread-pool workers wake and spin on every tick). That cost is Akka's, and the same with
/// or without this client; a larger tick-duration lowers it. What is judged is the client's own cost beyond it.
/// </para>
/// </summary>
internal static class IdleCost
{
    /// <summary>The most a connected idle client may cost beyond a bare actor system: 0.5% of one core.</summary>
    public const double TargetPercentOfCore = 0.5;

    public static async Task<int> RunAsync(BenchOptions options, TextWriter stdout, TextWriter log)
    {
        var config = BenchConfig.For(options);
        var window = TimeSpan.FromSeconds(options.DurationSeconds);

        // One actor system for both: the floor is measured in it before the client exists.
        var system = ActorSystem.Create("idle", config);
        try
        {
            system.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(10), system.DeadLetters, "start the scheduler", ActorRefs.NoSender);
            await Task.Delay(TimeSpan.FromSeconds(1)); // start-up work is not idle work
            var barePercent = await MeasureAsync(window, log, "actor system with its scheduler running");

            var client = CouchbaseExtension.Get(system).Client;
            await client.ConnectAsync(TimeSpan.FromSeconds(15));
            await client.UpsertAsync("idle-cost", "x"); // one round trip, so that every connection is in use
            // Idle means steady: the first map polls run code the JIT has not compiled for good yet.
            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds));
            var clientPercent = await MeasureAsync(window, log, "connected client");
            var beyond = clientPercent - barePercent;
            var verdict = beyond <= TargetPercentOfCore ? "met" : "NOT met";
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"idle: connected client {clientPercent:F3}% of a core, actor system without it {barePercent:F3}%, " +
                $"client's own {beyond:F3}% (target <= {TargetPercentOfCore}%: {verdict}) over {window.TotalSeconds:F0}s"));
            if (options.Json)
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"idleClientPercentOfCore\":{clientPercent:F4},\"actorSystemPercentOfCore\":{barePercent:F4}," +
                    $"\"clientOwnPercentOfCore\":{beyond:F4},\"seconds\":{window.TotalSeconds:F1}}}"));
            return 0;
        }
        catch (CouchbaseException e)
        {
            log.WriteLine($"error: {e.Message}");
            return 1;
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>
    /// CPU time this process used over <paramref name="window"/>, as a percentage of one core; each second's share
    /// goes to <paramref name="log"/>, so that a one-off (a late JIT) can be told from a steady cost.
    /// </summary>
    private static async Task<double> MeasureAsync(TimeSpan window, TextWriter log, string what)
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var slices = new List<string>();
        var last = cpuBefore;
        while (Stopwatch.GetElapsedTime(started) < window)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            process.Refresh();
            var now = process.TotalProcessorTime;
            slices.Add(((now - last).TotalMilliseconds / 10).ToString("F2", CultureInfo.InvariantCulture));
            last = now;
        }
        log.WriteLine($"{what}, % of a core per second: {string.Join(" ", slices)}");
        return 100 * (last - cpuBefore).TotalSeconds / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
