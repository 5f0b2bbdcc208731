using System.Net.Sockets;
using Akka.Actor;

namespace Akka.Couchbase.Transport;

/// <summary>
/// Plain TCP straight on a <see cref="Socket"/> (<c>akka.couchbase.transport = socket</c>), for services that send
/// few commands at a time and want each one's latency and CPU low. Akka.IO's connection actor is a hop of its own
/// on both ways of every round trip (a write goes through its mailbox, and so does each read, before they reach the
/// owning actor); here a write is handed to the socket on the owning actor's thread, and each read is told to the
/// owning actor by the read loop that took it. One read loop per connection runs as async code on the thread pool,
/// no thread of its own. Each read is copied once out of the loop's buffer into an array of its own (never written
/// again, so frames are decoded from it in place, and results may keep ranges of it), without zeroing it first. A
/// large response that a read begins but does not finish (at least <see cref="ReadDelivery.MinDirectBytes"/> of it
/// unread) is read on its own, the rest of it straight from the socket into an array of the frame's size (rented from the
/// value pool for a successful Get with value pooling on): the value is copied once, by the kernel, instead of
/// into the loop's buffer, out of it, and again when the frame is assembled from several reads. The connection's
/// events reach the owning actor as <see cref="ReadLoopTransport{TConnection}"/> says.
/// </summary>
internal sealed class SocketTransport : ReadLoopTransport<Socket>
{
    /// <inheritdoc cref="ReadLoopTransport{TConnection}"/>
    public SocketTransport(IActorRef self, ITransportListener listener, string name, TimeSpan connectTimeout,
        int maxBodyLength, ValuePoolingSettings pooling)
        : base(self, listener, name, connectTimeout, maxBodyLength, pooling)
    {
    }

    /// <inheritdoc />
    protected override string ConnectFailureIntro => $"could not connect to {Name}";

    /// <inheritdoc />
    protected override void StartConnect(ConnectAttempt<Socket> attempt, string host, int port) =>
        _ = ConnectAsync(attempt, host, port, ConnectTimeout, Self);

    /// <inheritdoc />
    protected override void StartReadLoop(Socket connection, long epoch, ReadDelivery delivery) =>
        _ = ReadLoopAsync(connection, epoch, Self, delivery);

    /// <inheritdoc />
    protected override Func<Memory<byte>, ValueTask<int>> ReceiveOf(Socket connection) =>
        memory => connection.ReceiveAsync(memory, SocketFlags.None);

    /// <inheritdoc />
    protected override void StartWrite(Socket connection, byte[] buffer, int length, WriteDone written) =>
        _ = WriteAsync(connection, buffer, length, written, Self);

    private static async Task ConnectAsync(ConnectAttempt<Socket> attempt, string host, int port, TimeSpan timeout, IActorRef self)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        object outcome;
        try
        {
            await socket.ConnectAsync(host, port, attempt.Cancel.Token).ConfigureAwait(false);
            outcome = attempt.TryDeliver(socket) ? new ConnectSucceeded(attempt, socket) : new ConnectFailed(attempt, "given up");
        }
        catch (OperationCanceledException)
        {
            outcome = new ConnectFailed(attempt, $"timed out (no connection within {timeout.TotalMilliseconds:F0}ms)");
        }
        catch (SocketException e)
        {
            outcome = new ConnectFailed(attempt, ConnectFailure.Describe(e.SocketErrorCode));
        }
        catch (Exception e)
        {
            outcome = new ConnectFailed(attempt, e.Message);
        }
        finally
        {
            attempt.Cancel.Dispose();
        }
        if (outcome is ConnectFailed) socket.Dispose();
        self.Tell(outcome);
    }

    private static async Task ReadLoopAsync(Socket socket, long epoch, IActorRef self, ReadDelivery delivery)
    {
        var buffer = new byte[ReadBufferSize];
        string cause;
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                var next = read == 0 ? null : await delivery.DeliverAsync(buffer, read).ConfigureAwait(false);
                if (next is null)
                {
                    cause = "closed by the server";
                    break;
                }
                buffer = next;
            }
        }
        catch (SocketException e)
        {
            cause = ConnectFailure.Describe(e.SocketErrorCode);
        }
        catch (ObjectDisposedException)
        {
            cause = "aborted";
        }
        catch (Exception e)
        {
            cause = e.Message;
        }
        self.Tell(new ReadEnded(epoch, cause));
    }

    // Runs on the owning actor's thread until the socket takes the bytes (at once, unless its send buffer is full):
    // a write that completes there allocates nothing but its report, which is made once per connection.
    private static async Task WriteAsync(Socket socket, byte[] buffer, int length, WriteDone written, IActorRef self)
    {
        string? error = null;
        try
        {
            var sent = 0;
            while (sent < length)
            {
                var taken = await socket.SendAsync(buffer.AsMemory(sent, length - sent), SocketFlags.None).ConfigureAwait(false);
                if (taken <= 0)
                {
                    error = "the socket took no bytes";
                    break;
                }
                sent += taken;
            }
        }
        catch (SocketException e)
        {
            error = ConnectFailure.Describe(e.SocketErrorCode);
        }
        catch (ObjectDisposedException)
        {
            error = "aborted";
        }
        self.Tell(error is null ? written : new WriteDone(written.Epoch, error));
    }
}
