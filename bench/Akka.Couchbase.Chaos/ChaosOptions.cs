using static Akka.Couchbase.CommandLine.OptionValues;

namespace Akka.Couchbase.Chaos;

/// <summary>The command line of the chaos harness, parsed and checked.</summary>
internal sealed record ChaosOptions
{
    /// <summary>How long load runs while faults are injected, in seconds.</summary>
    public double DurationSeconds { get; init; } = 60;
    /// <summary>Nodes of the in-process cluster.</summary>
    public int Nodes { get; init; } = 3;
    /// <summary>Commands kept outstanding, Tell and Task paths together.</summary>
    public int InFlight { get; init; } = 2000;
    /// <summary>Fraction of <see cref="InFlight"/> driven through the Task facade (the rest is Tell).</summary>
    public double TaskShare { get; init; } = 0.5;
    /// <summary>Driver actors sharing the Tell part.</summary>
    public int TellDrivers { get; init; } = 2;
    /// <summary>Keys the load spreads over (append, counter and register keys are owned; the rest are shared).</summary>
    public int Keys { get; init; } = 4096;
    /// <summary>Seed of the fault schedule (and of the load's random choices); null = from the clock.</summary>
    public int? Seed { get; init; }
    /// <summary>Mean time between two faults, in seconds (each interval is drawn in [0.5, 1.5] of it).</summary>
    public double FaultIntervalSeconds { get; init; } = 1.5;
    /// <summary>The client's operation-timeout, in milliseconds.</summary>
    public int TimeoutMs { get; init; } = 2500;
    /// <summary>Margin past the longest timeout before a missing reply is a violation, in seconds.</summary>
    public double GraceSeconds { get; init; } = 10;
    /// <summary>Bound of the managed heap after a full collection at the end, in MiB.</summary>
    public int MaxHeapMiB { get; init; } = 512;
    /// <summary>Appends to one append key before its owner moves on to a fresh one.</summary>
    public int AppendsPerKey { get; init; } = 400;
    /// <summary>Print the report as one JSON line too (just before the verdict line).</summary>
    public bool Json { get; init; }
    /// <summary>Akka log level (to stderr).</summary>
    public string LogLevel { get; init; } = "ERROR";
    /// <summary>The client's plain transport, <c>akka.couchbase.transport</c>: akka-io or socket.</summary>
    public string Transport { get; init; } = "akka-io";

    public int EffectiveSeed { get; init; }

    public int TaskInFlight => (int)Math.Round(InFlight * TaskShare);
    public int TellInFlight => InFlight - TaskInFlight;
    public TimeSpan Timeout => TimeSpan.FromMilliseconds(TimeoutMs);
    /// <summary>The longest any command may wait for its reply before it counts as unanswered.</summary>
    public TimeSpan ReplyBound => Timeout + TimeSpan.FromSeconds(GraceSeconds);

    public const string Usage = """
        Akka.Couchbase.Chaos: drives mixed load against an in-process cluster while injecting random faults,
        then checks the client's contracts (exactly one reply, no acknowledged write lost, per-key order,
        bounded memory). Prints what it did and one verdict line; exits 1 on any violation.

        Usage: Akka.Couchbase.Chaos [options]

          --duration SECONDS        load and faults (default 60)
          --nodes N                 cluster nodes (default 3)
          --in-flight N             commands kept outstanding (default 2000)
          --task-share F            fraction of them through the Task facade, the rest Tell (default 0.5)
          --tell-drivers N          driver actors sharing the Tell part (default 2)
          --keys N                  key space (default 4096; 1/8 append, 1/8 counter, 1/4 register keys, each
                                    owned by one sender; the rest shared)
          --seed N                  seed of the fault schedule and the load's choices (default: from the clock)
          --fault-interval SECONDS  mean time between faults (default 1.5)
          --timeout MS              the client's operation-timeout (default 2500)
          --grace SECONDS           margin past the timeout before a missing reply is a violation (default 10)
          --max-heap MIB            bound of the managed heap after a full GC at the end (default 512)
          --appends-per-key N       appends per append key before its owner starts a fresh one (default 400)
          --log-level debug|info|warning|error   Akka log level, to stderr (default error)
          --transport akka-io|socket   the client's plain transport (default akka-io)
          --json                    also print the report as one JSON line, before the verdict line
          -h, --help                this text
        """;

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static ChaosOptions Parse(IReadOnlyList<string> args)
    {
        var o = new ChaosOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            string Next() => inline ?? (i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{arg} needs a value"));
            o = arg switch
            {
                "--duration" => o with { DurationSeconds = Number(arg, Next(), min: 1) },
                "--nodes" => o with { Nodes = Integer(arg, Next(), min: 1, max: 16) },
                "--in-flight" => o with { InFlight = Integer(arg, Next(), min: 1, max: 100_000) },
                "--task-share" => o with { TaskShare = Number(arg, Next(), min: 0, max: 1) },
                "--tell-drivers" => o with { TellDrivers = Integer(arg, Next(), min: 1, max: 64) },
                "--keys" => o with { Keys = Integer(arg, Next(), min: 64, max: 10_000_000) },
                "--seed" => o with { Seed = Integer(arg, Next(), min: 0) },
                "--fault-interval" => o with { FaultIntervalSeconds = Number(arg, Next(), min: 0.05) },
                "--timeout" => o with { TimeoutMs = Integer(arg, Next(), min: 100, max: 60_000) },
                "--grace" => o with { GraceSeconds = Number(arg, Next(), min: 1) },
                "--max-heap" => o with { MaxHeapMiB = Integer(arg, Next(), min: 16) },
                "--appends-per-key" => o with { AppendsPerKey = Integer(arg, Next(), min: 1, max: 100_000) },
                "--log-level" => o with { LogLevel = OneOf(arg, Next(), "debug", "info", "warning", "error").ToUpperInvariant() },
                "--transport" => o with { Transport = OneOf(arg, Next(), "akka-io", "socket") },
                "--json" => o with { Json = true },
                _ => throw new ArgumentException($"unknown option '{args[i]}'"),
            };
        }
        if (o.TellInFlight > 0 && o.TellDrivers > o.TellInFlight)
            o = o with { TellDrivers = o.TellInFlight };
        return o with { EffectiveSeed = o.Seed ?? (int)(DateTime.UtcNow.Ticks % 1_000_000_000) };
    }
}
