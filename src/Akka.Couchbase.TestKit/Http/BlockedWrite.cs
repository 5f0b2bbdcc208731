namespace Akka.Couchbase.TestKit.Http;

/// <summary>
/// A response write that did not complete at once: the socket's send buffer was full, so the writer waits for the
/// peer to read (backpressure reaching the server). Reported through <see cref="BlockedWrites"/>.
/// </summary>
/// <param name="Sequence">1 for the first write its <see cref="BlockedWrites"/> saw blocked, then 2, 3...</param>
/// <param name="Progress">
/// How far the response had got when the write blocked, in the unit of the reporter: bytes of the response (head
/// included) the socket had taken before, for <see cref="HttpServer.BlockedWrites"/>; rows serialised into the
/// response (those of the blocked write included), for <see cref="Views.ViewService.BlockedWrites"/>.
/// </param>
/// <param name="Resumed">Completes once the socket has taken the write (the peer read enough) or the write failed.</param>
public sealed record BlockedWrite(long Sequence, long Progress, Task Resumed)
{
    /// <summary>True while the write is still waiting for the peer.</summary>
    public bool IsBlocked => !Resumed.IsCompleted;
}
