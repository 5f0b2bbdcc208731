using static Akka.Couchbase.CommandLine.OptionValues;

namespace Akka.Couchbase.Bench;

/// <summary>How commands are issued: the three API layers of the client.</summary>
internal enum BenchMode
{
    /// <summary>Driver actors Tell commands with a correlation id and match the replies (the fast path).</summary>
    Tell,
    /// <summary>Async loops, one per unit of concurrency, each awaiting <c>Ask</c> on the supervisor.</summary>
    Ask,
    /// <summary>Async loops, one per unit of concurrency, each awaiting the Task facade (<c>GetAsync</c>, <c>UpsertAsync</c>).</summary>
    Task,
    /// <summary>Akka.Streams: KV flows of <c>Akka.Couchbase.Streams</c> with the concurrency as their parallelism.</summary>
    Flow,
}

/// <summary>The command line of the load tool, parsed and checked.</summary>
internal sealed record BenchOptions
{
    public IReadOnlyList<string> Servers { get; init; } = new[] { "127.0.0.1:11211" };
    public string BucketType { get; init; } = "memcached";
    public string Bucket { get; init; } = "default";
    public string Username { get; init; } = "";
    public string Password { get; init; } = "";
    /// <summary>Connect over TLS (<c>akka.couchbase.tls.enabled</c>).</summary>
    public bool Tls { get; init; }
    /// <summary>With <see cref="Tls"/>: the CA file (PEM) to trust instead of the system store.</summary>
    public string? CaPath { get; init; }
    public double DurationSeconds { get; init; } = 10;
    public double WarmupSeconds { get; init; } = 2;
    public int Concurrency { get; init; } = 32;
    public int ValueSize { get; init; } = 1024;
    public double SetRatio { get; init; } = 0.1;
    public int Keys { get; init; } = 10_000;
    public BenchMode Mode { get; init; } = BenchMode.Tell;
    public bool Json { get; init; }
    public int MultiGet { get; init; } = 1;
    /// <summary>Commands per second for the whole run; 0 = as fast as the concurrency allows.</summary>
    public double Rate { get; init; }
    /// <summary>Tell mode: how many driver actors share the concurrency; 0 = one per processor.</summary>
    public int Drivers { get; init; }
    public bool NoPopulate { get; init; }
    /// <summary>Measure what an idle connected client costs in CPU instead of running load (see IdleCost).</summary>
    public bool Idle { get; init; }
    /// <summary>A MeterListener collects every Akka.Couchbase instrument for the whole run (what metrics cost).</summary>
    public bool MeterListener { get; init; }
    /// <summary>Report which types the allocations of the timed part come from (sampled).</summary>
    public bool AllocationProfile { get; init; }
    /// <summary>The collection every command names; null = the bucket's default collection (no name on the commands).</summary>
    public CollectionTarget? Collection { get; init; }
    /// <summary>Reads are LookupIn with one Get spec, writes MutateIn with one Upsert spec, on JSON documents.</summary>
    public bool SubDoc { get; init; }
    /// <summary>Large Get values in pooled arrays (<c>akka.couchbase.value-pooling.enabled</c>); every result is disposed.</summary>
    public bool PooledValues { get; init; }
    /// <summary>Akka log level (to stderr).</summary>
    public string LogLevel { get; init; } = "WARNING";
    /// <summary>HOCON that overrides the tool's own settings (dispatchers, Akka.IO, akka.couchbase.*); repeatable.</summary>
    public IReadOnlyList<string> Hocon { get; init; } = Array.Empty<string>();

    // Default: one driver per two processors. The client's own actors (supervisor, connection, Akka.IO) need the
    // rest; one driver per slot measured at half the throughput of one driver on 2 cores.
    public int EffectiveDrivers => Math.Min(Concurrency, Drivers > 0 ? Drivers : Math.Max(1, Environment.ProcessorCount / 2));

    public const string Usage = """
        Akka.Couchbase.Bench: a pillowfight-style load generator for Akka.Couchbase.

        Usage: Akka.Couchbase.Bench [options]

          --servers host:port[,...]   KV nodes (default 127.0.0.1:11211)
          --bucket-type memcached|couchbase   (default memcached)
          --bucket NAME               bucket to open (default "default"; couchbase buckets)
          --username U --password P   SASL credentials (default: none)
          --tls                       connect over TLS (the servers' TLS ports)
          --ca PATH                   with --tls: trust this CA certificate (PEM) instead of the system store
          --duration SECONDS          timed part of the run (default 10)
          --warmup SECONDS            untimed load before it (default 2)
          --concurrency N             commands kept in flight (default 32)
          --value-size BYTES          size of every stored value (default 1024)
          --set-ratio R               fraction of commands that are sets (default 0.1)
          --keys N                    key space bench:0 .. bench:N-1, pre-populated (default 10000)
          --mode tell|ask|task|flow   API layer to drive (default tell; flow: the KV flows of Akka.Couchbase.Streams)
          --drivers D                 tell and flow modes: driver actors (streams) sharing the concurrency (default: processors / 2, at least 1)
          --multi-get K               each get is a GetMulti of K consecutive keys (default 1)
          --collection S.C            every command names collection S.C (couchbase buckets; it must exist;
                                      default: none named, the bucket's default collection)
          --subdoc                    reads are LookupIn (one Get spec), writes MutateIn (one Upsert spec), on JSON
                                      documents of --value-size bytes (couchbase buckets)
          --pooled-values             akka.couchbase.value-pooling.enabled = on: large Get values in pooled arrays
                                      (the tool disposes every Get result, with or without it)
          --rate OPS_PER_SEC          cap on commands per second, token bucket (default: none)
          --no-populate               skip writing the key space first
          --meter-listener            a MeterListener collects every Akka.Couchbase instrument during the run
          --alloc-profile             also print which types the allocations come from (sampled, to stderr)
          --log-level debug|info|warning|error   Akka log level, to stderr (default warning)
          --json                      last stdout line is one JSON object with the results
          --hocon TEXT                HOCON over the tool's own settings (e.g. a dispatcher, akka.io.tcp, akka.couchbase.*);
                                      repeatable, the last wins
          --idle                      measure the CPU a connected client costs with nothing in flight (for --duration,
                                      after --warmup seconds of settling)
          -h, --help                  this text

        Throughput counts keys: a GetMulti of K keys counts K ops (like memaslap -d), a set counts 1.
        commands_per_sec counts commands. Latency is per command, in microseconds.
        """;

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> with a message naming the bad option.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BenchOptions();
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
                "--servers" => o with { Servers = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--bucket-type" => o with { BucketType = OneOf(arg, Next(), "memcached", "couchbase") },
                "--bucket" => o with { Bucket = Next() },
                "--tls" => o with { Tls = true },
                "--ca" => o with { CaPath = Next() },
                "--username" => o with { Username = Next() },
                "--password" => o with { Password = Next() },
                "--duration" => o with { DurationSeconds = Number(arg, Next(), min: 0.1) },
                "--warmup" => o with { WarmupSeconds = Number(arg, Next(), min: 0) },
                "--concurrency" => o with { Concurrency = Integer(arg, Next(), min: 1) },
                "--value-size" => o with { ValueSize = Integer(arg, Next(), min: 0) },
                "--set-ratio" => o with { SetRatio = Number(arg, Next(), min: 0, max: 1) },
                "--keys" => o with { Keys = Integer(arg, Next(), min: 1) },
                "--mode" => o with { Mode = Enum.Parse<BenchMode>(OneOf(arg, Next(), "tell", "ask", "task", "flow"), ignoreCase: true) },
                "--drivers" => o with { Drivers = Integer(arg, Next(), min: 1) },
                "--multi-get" => o with { MultiGet = Integer(arg, Next(), min: 1) },
                "--collection" => o with { Collection = CollectionTarget.Parse(arg, Next()) },
                "--subdoc" => o with { SubDoc = true },
                "--pooled-values" => o with { PooledValues = true },
                "--rate" => o with { Rate = Number(arg, Next(), min: 0) },
                "--no-populate" => o with { NoPopulate = true },
                "--idle" => o with { Idle = true },
                "--alloc-profile" => o with { AllocationProfile = true },
                "--meter-listener" => o with { MeterListener = true },
                "--log-level" => o with { LogLevel = OneOf(arg, Next(), "debug", "info", "warning", "error").ToUpperInvariant() },
                "--json" => o with { Json = true },
                "--hocon" => o with { Hocon = o.Hocon.Append(Next()).ToArray() },
                _ => throw new ArgumentException($"unknown option '{args[i]}'"),
            };
        }
        if (o.Servers.Count == 0) throw new ArgumentException("--servers names no node");
        if (o.CaPath is not null && !o.Tls) throw new ArgumentException("--ca needs --tls");
        if (o.Mode == BenchMode.Flow && o.Rate > 0) throw new ArgumentException("--rate is not available with --mode flow");
        if (o.MultiGet > o.Keys) throw new ArgumentException($"--multi-get {o.MultiGet} is larger than --keys {o.Keys}");
        if (o.Collection is not null && o.BucketType != "couchbase")
            throw new ArgumentException("--collection needs --bucket-type couchbase (memcached buckets have only the default collection)");
        if (o.SubDoc && o.BucketType != "couchbase") throw new ArgumentException("--subdoc needs --bucket-type couchbase");
        if (o.SubDoc && o.MultiGet > 1) throw new ArgumentException("--subdoc reads one document per command: drop --multi-get");
        if (o.SubDoc && o.ValueSize < SubDocDocument.MinimumSize)
            throw new ArgumentException($"--subdoc needs --value-size of at least {SubDocDocument.MinimumSize} (the JSON document's frame)");
        return o;
    }
}
