using System.Globalization;
using System.Text;
using Newtonsoft.Json;

namespace Akka.Couchbase.Observability;

/// <summary>
/// The JSON of a report, as the Couchbase SDKs log theirs: one object per service,
/// <c>{"kv":{"total_count":N,"top_requests":[{...},...]},"views":{...}}</c>, each entry with its operation name and
/// timings in microseconds (fields that are not known are left out).
/// </summary>
internal static class ReportJson
{
    public static string Write(IEnumerable<(string Service, long Count, IReadOnlyList<ReportEntry> Top)> services)
    {
        var sb = new StringBuilder(512);
        using (var w = new JsonTextWriter(new StringWriter(sb, CultureInfo.InvariantCulture)) { Formatting = Formatting.None })
        {
            w.WriteStartObject();
            foreach (var (service, count, top) in services)
            {
                w.WritePropertyName(service);
                w.WriteStartObject();
                w.WritePropertyName("total_count");
                w.WriteValue(count);
                w.WritePropertyName("top_requests");
                w.WriteStartArray();
                foreach (var entry in top) Entry(w, entry);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return sb.ToString();
    }

    private static void Entry(JsonWriter w, ReportEntry e)
    {
        w.WriteStartObject();
        w.WritePropertyName("operation_name");
        w.WriteValue(e.OperationName);
        Micros(w, "total_duration_us", e.TotalMicros);
        Micros(w, "queued_duration_us", e.QueuedMicros);
        Micros(w, "last_dispatch_duration_us", e.DispatchMicros);
        Micros(w, "last_server_duration_us", e.ServerMicros);
        Text(w, "last_remote_socket", e.RemoteSocket);
        Text(w, "last_local_id", e.LocalId);
        Text(w, "operation_id", e.OperationId);
        if (e.TimeoutMs >= 0)
        {
            w.WritePropertyName("timeout_ms");
            w.WriteValue((long)e.TimeoutMs);
        }
        if (e.Attempts > 0)
        {
            w.WritePropertyName("attempts");
            w.WriteValue(e.Attempts);
        }
        Text(w, "retry_reasons", e.RetryReasons);
        w.WriteEndObject();
    }

    private static void Micros(JsonWriter w, string name, double micros)
    {
        if (micros < 0) return;
        w.WritePropertyName(name);
        w.WriteValue((long)Math.Round(micros));
    }

    private static void Text(JsonWriter w, string name, string? value)
    {
        if (value is null) return;
        w.WritePropertyName(name);
        w.WriteValue(value);
    }
}
