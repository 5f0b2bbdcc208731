using System.Globalization;
using Akka.Configuration;

namespace Akka.Couchbase;

/// <summary>
/// The client's slow-operation and orphaned-response reports, and whether it asks the nodes for their own
/// processing time (<c>akka.couchbase.observability</c>, docs/observability.md). Metrics and spans need no setting:
/// they cost nothing until something listens to the <c>Akka.Couchbase</c> meter or activity source.
/// </summary>
public sealed record ObservabilitySettings
{
    /// <summary>The defaults: both reports on, every 10 s, the 10 slowest per service over 500 ms (KV) and 1 s (views).</summary>
    public static readonly ObservabilitySettings Default = new();

    /// <summary>Whether operations over their service's threshold are logged (<c>threshold-logging</c>).</summary>
    public bool ThresholdLogging { get; init; } = true;

    /// <summary>How often the slow operations and orphaned responses seen since the last report are logged.</summary>
    public TimeSpan ThresholdInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many operations per service one report holds at most (the slowest).</summary>
    public int ThresholdSampleSize { get; init; } = 10;

    /// <summary>KV operations slower than this are reported.</summary>
    public TimeSpan KvThreshold { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>View queries slower than this are reported.</summary>
    public TimeSpan ViewsThreshold { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether responses that arrived after their operation timed out are logged (<c>orphan-logging</c>).</summary>
    public bool OrphanLogging { get; init; } = true;

    /// <summary>How many orphaned responses one report holds at most (the slowest).</summary>
    public int OrphanSampleSize { get; init; } = 10;

    /// <summary>
    /// Whether HELLO asks for the Tracing feature, so that each response says how long the node worked on it
    /// (<c>server-duration</c>).
    /// </summary>
    public bool ServerDuration { get; init; } = true;

    /// <summary>Reads an <c>observability</c> section (<paramref name="key"/> names it in errors).</summary>
    internal static ObservabilitySettings Read(Config section, string key)
    {
        var settings = new ObservabilitySettings
        {
            ThresholdLogging = HoconValues.Switch(section, "threshold-logging", $"{key}.threshold-logging"),
            ThresholdInterval = HoconValues.Duration(section, "threshold-interval", $"{key}.threshold-interval"),
            ThresholdSampleSize = HoconValues.Int(section, "threshold-sample-size", $"{key}.threshold-sample-size"),
            KvThreshold = HoconValues.Duration(section, "kv-threshold", $"{key}.kv-threshold"),
            ViewsThreshold = HoconValues.Duration(section, "views-threshold", $"{key}.views-threshold"),
            OrphanLogging = HoconValues.Switch(section, "orphan-logging", $"{key}.orphan-logging"),
            OrphanSampleSize = HoconValues.Int(section, "orphan-sample-size", $"{key}.orphan-sample-size"),
            ServerDuration = HoconValues.Switch(section, "server-duration", $"{key}.server-duration"),
        };
        if (settings.ThresholdInterval <= TimeSpan.Zero)
            throw new ArgumentException($"{key}.threshold-interval must be positive, was {settings.ThresholdInterval}");
        if (settings.ThresholdSampleSize <= 0)
            throw new ArgumentException($"{key}.threshold-sample-size must be positive, was {settings.ThresholdSampleSize}");
        if (settings.OrphanSampleSize <= 0)
            throw new ArgumentException($"{key}.orphan-sample-size must be positive, was {settings.OrphanSampleSize}");
        if (settings.KvThreshold < TimeSpan.Zero)
            throw new ArgumentException($"{key}.kv-threshold must not be negative, was {settings.KvThreshold}");
        if (settings.ViewsThreshold < TimeSpan.Zero)
            throw new ArgumentException($"{key}.views-threshold must not be negative, was {settings.ViewsThreshold}");
        return settings;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"ObservabilitySettings(threshold-logging={ThresholdLogging}, interval={Ms(ThresholdInterval)}, " +
        $"kv={Ms(KvThreshold)}, views={Ms(ViewsThreshold)}, sample={ThresholdSampleSize}, " +
        $"orphan-logging={OrphanLogging}, orphan-sample={OrphanSampleSize}, server-duration={ServerDuration})";

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
}
