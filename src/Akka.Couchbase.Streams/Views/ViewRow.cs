using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Akka.Couchbase.Streams.Views;

/// <summary>
/// One row of a view: the document id (absent for reduced rows), the emitted key and value. A row holds its key
/// and value compactly (a string, number, boolean or null as that value, an array or object as its UTF-8 JSON), so
/// a buffered result costs about what its rows weigh on the wire; <see cref="Key"/> and <see cref="Value"/> build a
/// token on each access. Rows are equal when their ids and the JSON of their keys and values are.
/// </summary>
public sealed class ViewRow : IEquatable<ViewRow>
{
    private readonly object? _key;
    private readonly object? _value;

    /// <summary>Creates a row from tokens (kept as their JSON: later changes to the tokens do not reach the row).</summary>
    public ViewRow(string? id, JToken key, JToken value)
        : this(id, ViewJson.Compact(key ?? throw new ArgumentNullException(nameof(key))),
            ViewJson.Compact(value ?? throw new ArgumentNullException(nameof(value))))
    {
    }

    private ViewRow(string? id, object? key, object? value)
    {
        Id = id;
        _key = key;
        _value = value;
    }

    /// <summary>A row from a key and value already in compact form (<see cref="ViewJson"/>).</summary>
    internal static ViewRow FromCompact(string? id, object? key, object? value) => new(id, key, value);

    /// <summary>The id of the document that emitted the row; null for reduced rows.</summary>
    public string? Id { get; }

    /// <summary>The emitted key, as a new token on each access.</summary>
    public JToken Key => ViewJson.ToToken(_key);

    /// <summary>The emitted value, as a new token on each access.</summary>
    public JToken Value => ViewJson.ToToken(_value);

    /// <summary>The key as compact JSON text.</summary>
    public string KeyJson => ViewJson.ToJson(_key);

    /// <summary>The value as compact JSON text.</summary>
    public string ValueJson => ViewJson.ToJson(_value);

    /// <summary>The key as <typeparamref name="T"/>.</summary>
    public T? KeyAs<T>() => Key.ToObject<T>();

    /// <summary>The value as <typeparamref name="T"/>.</summary>
    public T? ValueAs<T>() => Value.ToObject<T>();

    /// <inheritdoc />
    public bool Equals(ViewRow? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            Id == other.Id && ViewJson.Same(_key, other._key) && ViewJson.Same(_value, other._value));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ViewRow);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, KeyJson);

    /// <inheritdoc />
    public override string ToString() =>
        $"ViewRow(key={KeyJson}, value={ValueJson}, docid={Id ?? "null"})";

    /// <summary>Equality of rows.</summary>
    public static bool operator ==(ViewRow? left, ViewRow? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality of rows.</summary>
    public static bool operator !=(ViewRow? left, ViewRow? right) => !(left == right);
}
