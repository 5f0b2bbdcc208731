using Akka.Couchbase.CommandLine;

namespace Akka.Couchbase.ViewBench;

/// <summary>The command line of the view benchmark.</summary>
internal sealed record ViewBenchOptions
{
    public const string Usage = """
        Akka.Couchbase.ViewBench --mode setup|fast|slow --connection-string couchbase://HOST:PORT
            [--views-url http://HOST:PORT] [--username U --password P] [--bucket default]
            [--rows 1000000] [--docs 1000] [--rate 2000] [--seconds 60] [--json] [--alloc-profile]

          setup  writes --docs documents and a design document whose view emits --rows rows in all
                 (--rows / --docs per document), then builds the index (needs --views-url: the capi port)
          fast   streams the whole view to a consumer that only counts rows; prints rows/s (--alloc-profile:
                 and which types its allocations come from)
          slow   streams it to a consumer taking --rate rows/s for --seconds; samples the process's memory
                 every second and prints its growth over the baseline taken before the query
        """;

    public string Mode { get; init; } = "fast";
    public string ConnectionString { get; init; } = "couchbase://127.0.0.1";
    public string? ViewsUrl { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string Bucket { get; init; } = "default";
    public int Rows { get; init; } = 1_000_000;
    public int Docs { get; init; } = 1_000;
    public int Rate { get; init; } = 2_000;
    public int Seconds { get; init; } = 60;
    public bool Json { get; init; }
    public bool AllocationProfile { get; init; }

    /// <summary>Rows each document emits.</summary>
    public int RowsPerDocument => Rows / Docs;

    public static ViewBenchOptions Parse(string[] args)
    {
        var o = new ViewBenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--mode" => o with { Mode = OptionValues.OneOf("--mode", Value(), "setup", "fast", "slow") },
                "--connection-string" => o with { ConnectionString = Value() },
                "--views-url" => o with { ViewsUrl = Value().TrimEnd('/') },
                "--username" => o with { Username = Value() },
                "--password" => o with { Password = Value() },
                "--bucket" => o with { Bucket = Value() },
                "--rows" => o with { Rows = OptionValues.Integer("--rows", Value(), 1) },
                "--docs" => o with { Docs = OptionValues.Integer("--docs", Value(), 1) },
                "--rate" => o with { Rate = OptionValues.Integer("--rate", Value(), 1) },
                "--seconds" => o with { Seconds = OptionValues.Integer("--seconds", Value(), 1) },
                "--json" => o with { Json = true },
                "--alloc-profile" => o with { AllocationProfile = true },
                _ => throw new ArgumentException($"unknown option '{args[i]}'"),
            };
        }
        if (o.Rows % o.Docs != 0)
            throw new ArgumentException($"--rows ({o.Rows}) must be a multiple of --docs ({o.Docs}): each document emits the same number of rows");
        if (o.Mode == "setup" && o.ViewsUrl is null)
            throw new ArgumentException("--mode setup needs --views-url (the views port, to store the design document)");
        return o;
    }
}
