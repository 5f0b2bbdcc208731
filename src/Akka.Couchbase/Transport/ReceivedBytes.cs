using System.Runtime.CompilerServices;
using Akka.IO;

namespace Akka.Couchbase.Transport;

/// <summary>
/// The array behind a <see cref="Tcp.Received"/>'s data. Akka.IO copies each socket read into a new array that it
/// never touches again (its TcpConnection: <c>ByteString.CopyFrom(buffer, offset, count)</c>), so frames can be
/// decoded from that array in place and results can keep ranges of it. ByteString does not expose its array
/// publicly; this reads its private field, and falls back to copying (reporting false) if a future Akka version
/// renames it. A test pins the fast path to the Akka version the project references.
/// </summary>
internal static class ReceivedBytes
{
    private static bool _unavailable;

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_buffers")]
    private static extern ref ArraySegment<byte>[] Buffers(ByteString data);

    /// <summary>True, with the one array segment holding all of <paramref name="data"/>, when it can be read without a copy.</summary>
    public static bool TryGetSingleSegment(ByteString data, out ArraySegment<byte> segment)
    {
        segment = default;
        if (_unavailable || !data.IsCompact) return false;
        try
        {
            var buffers = Buffers(data);
            if (buffers is not { Length: 1 } || buffers[0].Array is null || buffers[0].Count != data.Count) return false;
            segment = buffers[0];
            return true;
        }
        catch (MissingFieldException)
        {
            _unavailable = true;
            return false;
        }
    }
}
