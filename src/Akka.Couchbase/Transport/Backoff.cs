namespace Akka.Couchbase.Transport;

/// <summary>Exponential backoff with random jitter, for reconnects.</summary>
internal static class Backoff
{
    public static TimeSpan Next(int attempt, TimeSpan min, TimeSpan max, double jitter)
    {
        var exponential = min.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20));
        var capped = Math.Min(exponential, max.TotalMilliseconds);
        var factor = 1 + jitter * (Random.Shared.NextDouble() * 2 - 1);
        return TimeSpan.FromMilliseconds(Math.Max(1, capped * factor));
    }
}
