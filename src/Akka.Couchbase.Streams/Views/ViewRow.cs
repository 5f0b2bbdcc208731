using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.Streams.Views;

/// <summary>One row of a view: the document id (absent for reduced rows), the emitted key and value.</summary>
public sealed record ViewRow(string? Id, JToken Key, JToken Value)
{
    /// <summary>The key as <typeparamref name="T"/>.</summary>
    public T? KeyAs<T>() => Key.ToObject<T>();

    /// <summary>The value as <typeparamref name="T"/>.</summary>
    public T? ValueAs<T>() => Value.ToObject<T>();

    internal static ViewRow From(JObject row) => new(
        row.Value<string?>("id"),
        row["key"] ?? JValue.CreateNull(),
        row["value"] ?? JValue.CreateNull());

    /// <inheritdoc />
    public override string ToString() =>
        $"ViewRow(key={Key.ToString(Formatting.None)}, value={Value.ToString(Formatting.None)}, docid={Id ?? "null"})";
}
