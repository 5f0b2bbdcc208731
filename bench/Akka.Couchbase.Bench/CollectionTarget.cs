namespace Akka.Couchbase.Bench;

/// <summary>The collection named by <c>--collection scope.collection</c>.</summary>
internal sealed record CollectionTarget(string Scope, string Name)
{
    /// <summary>
    /// Splits <paramref name="value"/> at its one dot; throws <see cref="ArgumentException"/> naming
    /// <paramref name="option"/> otherwise. The names themselves are checked by the client when a command is sent.
    /// </summary>
    public static CollectionTarget Parse(string option, string value)
    {
        var dot = value.IndexOf('.');
        if (dot <= 0 || dot == value.Length - 1 || value.IndexOf('.', dot + 1) >= 0)
            throw new ArgumentException($"{option} takes scope.collection, not '{value}'");
        return new CollectionTarget(value[..dot], value[(dot + 1)..]);
    }

    /// <inheritdoc />
    public override string ToString() => Scope + "." + Name;
}
