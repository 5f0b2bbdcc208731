namespace Akka.Couchbase.Bench.Drivers;

/// <summary>Keeps the configured number of commands in flight through one API layer until the run stops.</summary>
internal interface ILoadDriver
{
    /// <summary>One entry per worker (driver actor or async loop).</summary>
    IReadOnlyList<WorkerStats> Stats { get; }

    /// <summary>Starts issuing commands.</summary>
    void Start();

    /// <summary>
    /// Called once the run is in <see cref="Phase.Stop"/>: completes with true when no worker has a command in flight
    /// any more, or false if some are still outstanding after <paramref name="timeout"/>.
    /// </summary>
    Task<bool> DrainAsync(TimeSpan timeout);
}
