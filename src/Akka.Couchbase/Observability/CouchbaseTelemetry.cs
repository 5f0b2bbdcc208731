namespace Akka.Couchbase.Observability;

/// <summary>
/// The names under which the client reports what it does, for anything that reads .NET's built-in telemetry
/// (OpenTelemetry's <c>AddMeter</c> / <c>AddSource</c>, <c>dotnet-counters</c>, a <c>MeterListener</c> or an
/// <c>ActivityListener</c>). Every instrument and attribute is listed in docs/observability.md.
/// </summary>
public static class CouchbaseTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of every instrument of the client: <c>Akka.Couchbase</c>.</summary>
    public const string MeterName = "Akka.Couchbase";

    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of every span of the client: <c>Akka.Couchbase</c>.</summary>
    public const string ActivitySourceName = "Akka.Couchbase";
}
