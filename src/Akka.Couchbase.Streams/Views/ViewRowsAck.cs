namespace Akka.Couchbase.Streams.Views;

/// <summary>The reply an actor sends to the sender of a <see cref="ViewRowBatch{T}"/> to ask for the next batch.</summary>
public sealed class ViewRowsAck
{
    /// <summary>The acknowledgement.</summary>
    public static readonly ViewRowsAck Instance = new();

    private ViewRowsAck()
    {
    }

    /// <inheritdoc />
    public override string ToString() => "ViewRowsAck";
}
