namespace Akka.Couchbase.Protocol;

/// <summary>One status code's entry in a server error map (spec §2.7).</summary>
/// <param name="Name">The status name, e.g. <c>ETMPFAIL</c>.</param>
/// <param name="Description">Human-readable description (<c>desc</c>).</param>
/// <param name="Attributes">The attributes (<c>attrs</c>), such as <c>temp</c>, <c>retry-now</c>, <c>fetch-config</c>; unknown ones are kept and ignored.</param>
internal sealed record ErrorMapEntry(string Name, string Description, IReadOnlySet<string> Attributes)
{
    /// <summary>True when the entry has <paramref name="attribute"/>.</summary>
    public bool Has(string attribute) => Attributes.Contains(attribute);

    /// <summary>The operation may be retried: <c>retry-now</c> or <c>retry-later</c>.</summary>
    public bool IsRetry => Has("retry-now") || Has("retry-later");

    /// <summary>The connection can no longer be used: <c>conn-state-invalidated</c>.</summary>
    public bool InvalidatesConnection => Has("conn-state-invalidated");

    /// <summary>The client should fetch a fresh cluster map: <c>fetch-config</c>.</summary>
    public bool FetchConfig => Has("fetch-config");

    /// <summary>The condition is temporary: <c>temp</c>.</summary>
    public bool IsTemporary => Has("temp");

    /// <summary>An authentication or authorization problem: <c>auth</c>.</summary>
    public bool IsAuth => Has("auth");

    /// <inheritdoc />
    public override string ToString() => $"{Name} [{string.Join(", ", Attributes)}]: {Description}";
}
