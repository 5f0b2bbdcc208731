namespace Akka.Couchbase.Streams.Views;

/// <summary>
/// The one check of a view call's arguments, made by every entry point (sources, <c>QueryAllAsync</c>, the actor
/// and documents variants) when it is called, before any stream exists or anything is sent: a bad parameter or
/// setting throws <see cref="ArgumentException"/> whose message starts with <c>view design/view:</c>.
/// </summary>
internal static class ViewArguments
{
    /// <summary>Checks <paramref name="query"/> and <paramref name="settings"/> (null = the defaults) and returns the query.</summary>
    public static ViewQuery Check(ViewQuery? query, ViewSettings? settings)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        if (settings?.Problem() is { } problem)
            throw new ArgumentException($"view {query.Name}: settings: {problem}", nameof(settings));
        return query;
    }

    /// <summary>Checks a count that must be at least 1 (parallelism, batch size), naming the view when there is one.</summary>
    public static void Positive(int value, string name, ViewQuery? query = null)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(name, value,
                (query is null ? "" : $"view {query.Name}: ") + $"{name} must be at least 1, was {value}");
    }
}
