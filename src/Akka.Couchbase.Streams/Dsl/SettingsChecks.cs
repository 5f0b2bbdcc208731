namespace Akka.Couchbase.Streams.Dsl;

/// <summary>The checks the KV stages' settings share.</summary>
internal static class SettingsChecks
{
    public static void Parallelism(int parallelism)
    {
        if (parallelism < 1 || parallelism > CouchbaseFlow.MaxParallelism)
            throw new ArgumentException(
                $"Parallelism must be 1 to {CouchbaseFlow.MaxParallelism} commands in flight (was {parallelism})", nameof(parallelism));
    }

    public static void Timeout(TimeSpan? timeout)
    {
        if (timeout is { } t && t <= TimeSpan.Zero)
            throw new ArgumentException($"Timeout must be positive, or null for the client's operation-timeout (was {t})", nameof(timeout));
    }
}
