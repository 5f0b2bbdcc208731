namespace Akka.Couchbase.Transport;

/// <summary>
/// One connect attempt of a transport whose connect runs as async code (the socket and TLS transports): it carries
/// the attempt's cancellation (its deadline), and whoever comes second of its outcome and its abandonment closes
/// what it opened (<typeparamref name="T"/>: the socket, or the TLS stream).
/// </summary>
internal sealed class ConnectAttempt<T> where T : class, IDisposable
{
    private const int Pending = 0, Delivered = 1, Abandoned = 2;
    private int _state;

    /// <param name="timeout">The attempt's deadline: <see cref="Cancel"/> is cancelled then.</param>
    public ConnectAttempt(TimeSpan timeout) => Cancel = new CancellationTokenSource(timeout);

    /// <summary>Cancelled at the deadline, or when the attempt is given up.</summary>
    public CancellationTokenSource Cancel { get; }

    /// <summary>What the attempt opened, once delivered.</summary>
    public T? Opened { get; private set; }

    /// <summary>Hands over what was opened; false (and it is closed) if the attempt was abandoned.</summary>
    public bool TryDeliver(T opened)
    {
        Opened = opened;
        if (Interlocked.CompareExchange(ref _state, Delivered, Pending) == Pending) return true;
        opened.Dispose();
        return false;
    }

    /// <summary>Gives the attempt up: it is cancelled, and what it opened closed if it had delivered it.</summary>
    public void Abandon()
    {
        var before = Interlocked.Exchange(ref _state, Abandoned);
        try { Cancel.Cancel(); } catch (ObjectDisposedException) { }
        if (before == Delivered) Opened?.Dispose();
    }
}
