namespace Akka.Couchbase.Bench;

/// <summary>
/// The shared, read-only part of the workload: the key names (made once, so issuing a command allocates no
/// string), the value every set stores, the get/set mix, the multi-get width and the commands (with the run's
/// collection, plain or sub-document).
/// </summary>
internal sealed class Workload
{
    public Workload(BenchOptions options)
    {
        Keys = new string[options.Keys];
        for (var i = 0; i < Keys.Length; i++) Keys[i] = "bench:" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Value = new byte[options.ValueSize];
        new Random(42).NextBytes(Value);
        SetRatio = options.SetRatio;
        MultiGet = options.MultiGet;
        var document = options.SubDoc ? new SubDocDocument(options.ValueSize) : null;
        Document = document?.Document ?? Value;
        Commands = new WorkloadCommands(options, Value, document);
    }

    /// <summary>What the populator stores under every key: <see cref="Value"/>, or with <c>--subdoc</c> the JSON document.</summary>
    public object Document { get; }

    /// <summary>The reads and writes, naming the run's collection.</summary>
    public WorkloadCommands Commands { get; }

    public string[] Keys { get; }
    public byte[] Value { get; }
    public double SetRatio { get; }
    public int MultiGet { get; }

    public bool NextIsSet(ref FastRandom random) => SetRatio > 0 && random.NextDouble() < SetRatio;

    public string NextKey(ref FastRandom random) => Keys[random.Next(Keys.Length)];

    /// <summary>Fills <paramref name="into"/> with <see cref="MultiGet"/> distinct consecutive keys from a random start.</summary>
    public void NextKeys(ref FastRandom random, string[] into)
    {
        var start = random.Next(Keys.Length);
        for (var i = 0; i < into.Length; i++) into[i] = Keys[(start + i) % Keys.Length];
    }
}
