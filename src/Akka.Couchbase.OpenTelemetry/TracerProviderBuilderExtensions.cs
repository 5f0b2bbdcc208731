using Akka.Couchbase.Observability;

namespace OpenTelemetry.Trace;

/// <summary>Akka.Couchbase's spans in an OpenTelemetry tracer provider.</summary>
public static class CouchbaseTracerProviderBuilderExtensions
{
    /// <summary>
    /// Collects the spans of the <c>Akka.Couchbase</c> activity source: one per KV operation, view query and HTTP
    /// bootstrap stream (docs/observability.md lists their attributes).
    /// </summary>
    public static TracerProviderBuilder AddCouchbaseInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(CouchbaseTelemetry.ActivitySourceName);
    }
}
