namespace Akka.Couchbase.Pipeline;

/// <summary>
/// The command of a request the client makes for itself (fence, config fetch, OBSERVE, STAT): no caller's command
/// stands behind it, so it is never routed by key nor handed back to be routed again.
/// </summary>
internal sealed record InternalCommand(string Name) : Kv.ICommand
{
    /// <inheritdoc />
    public object? CorrelationId => null;

    /// <inheritdoc />
    public TimeSpan? Timeout => null;
}
