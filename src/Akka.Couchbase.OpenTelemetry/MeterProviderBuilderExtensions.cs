using Akka.Couchbase.Observability;

namespace OpenTelemetry.Metrics;

/// <summary>Akka.Couchbase's metrics in an OpenTelemetry meter provider.</summary>
public static class CouchbaseMeterProviderBuilderExtensions
{
    /// <summary>
    /// Collects every instrument of the <c>Akka.Couchbase</c> meter (operation durations, connections, redirects,
    /// map revisions, timeouts, bytes, load; docs/observability.md lists them).
    /// </summary>
    public static MeterProviderBuilder AddCouchbaseInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(CouchbaseTelemetry.MeterName);
    }
}
