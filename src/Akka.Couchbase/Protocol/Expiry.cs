namespace Akka.Couchbase.Protocol;

/// <summary>Converts an expiry to the wire's u32 (spec §2.10): relative seconds up to 30 days, absolute Unix time beyond.</summary>
internal static class Expiry
{
    public const uint RelativeLimitSeconds = 30 * 24 * 60 * 60;

    public static uint ToWire(TimeSpan expiry, string key)
    {
        if (expiry < TimeSpan.Zero)
            throw new KvInvalidArgumentException($"expiry for key '{key}' is negative ({expiry})");
        if (expiry == TimeSpan.Zero) return 0;
        var seconds = Math.Ceiling(expiry.TotalSeconds);
        if (seconds <= RelativeLimitSeconds) return (uint)Math.Max(1, seconds);
        var absolute = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + (long)seconds;
        if (absolute >= uint.MaxValue)
            throw new KvInvalidArgumentException($"expiry for key '{key}' ({expiry}) is beyond what the protocol can express");
        return (uint)absolute;
    }
}
