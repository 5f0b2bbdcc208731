namespace Akka.Couchbase.TestKit.Views;

/// <summary>One view of a design document: its map function and optional reduce (JavaScript or a built-in).</summary>
public sealed class ViewDefinition
{
    /// <summary>The built-in reduce names: <c>_count</c>, <c>_sum</c>, <c>_stats</c>.</summary>
    public static IReadOnlyList<string> BuiltInReduces { get; } = new[] { "_count", "_sum", "_stats" };

    internal ViewDefinition(string name, string map, string? reduce)
    {
        Name = name;
        Map = map;
        Reduce = reduce;
        var trimmed = reduce?.Trim();
        BuiltInReduce = trimmed != null && trimmed.StartsWith('_') ? trimmed : null;
    }

    /// <summary>The view name.</summary>
    public string Name { get; }

    /// <summary>The map function source, <c>function (doc, meta) { ... }</c>.</summary>
    public string Map { get; }

    /// <summary>The reduce source (a JavaScript function or a built-in name), or null for a map-only view.</summary>
    public string? Reduce { get; }

    /// <summary>True when the view has a reduce.</summary>
    public bool HasReduce => Reduce != null;

    /// <summary>The built-in reduce name (<c>_count</c>, <c>_sum</c>, <c>_stats</c>) when the reduce is one, else null.</summary>
    public string? BuiltInReduce { get; }
}
