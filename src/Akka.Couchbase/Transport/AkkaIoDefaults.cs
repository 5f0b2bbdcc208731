using Akka.Actor;
using Akka.Configuration;
using Akka.IO;

namespace Akka.Couchbase.Transport;

/// <summary>
/// Akka.IO TCP settings fit for a database client, injected when the extension starts: Akka's own defaults read and
/// write at most 4 KiB at a time (<c>akka.io.tcp.maximum-frame-size = 4k</c>), so most replies of a few KiB are split
/// across reads and a batch of requests goes out in 4 KiB sends. When the application leaves the frame size at
/// Akka's default, 64 KiB frames with 128 KiB socket buffers are added as a fallback of the system's configuration:
/// every key the application sets still wins, and the frame size is never raised above a buffer size it set (Akka.IO
/// refuses to start when a buffer is smaller than a frame).
/// </summary>
internal static class AkkaIoDefaults
{
    /// <summary>The frame size injected: the most bytes one read delivers and one send takes.</summary>
    internal const int FrameSize = 64 * 1024;

    /// <summary>The socket buffer sizes injected (Akka.IO asks for at least the frame size; its message says twice).</summary>
    internal const int BufferSize = 128 * 1024;

    private const string Path = "akka.io.tcp";

    /// <summary>
    /// Injects the fallback into <paramref name="system"/>'s configuration, unless the application raised or lowered
    /// the frame size itself. Returns a warning to log when Akka.IO's TCP extension had already started with smaller
    /// frames (its settings are read once, when it starts), else null.
    /// </summary>
    public static string? Inject(ExtendedActorSystem system)
    {
        var startedBefore = system.HasExtension<TcpExt>();
        var current = system.Settings.Config.GetConfig(Path);
        var akka = ConfigurationFactory.Default().GetConfig(Path);
        if (current is not null && akka is not null && Size(current, "maximum-frame-size") == Size(akka, "maximum-frame-size"))
        {
            // A buffer size the application changed is kept, and the frame is at most that buffer.
            var send = Size(current, "send-buffer-size") is var s && s != Size(akka, "send-buffer-size") ? s : BufferSize;
            var receive = Size(current, "receive-buffer-size") is var r && r != Size(akka, "receive-buffer-size") ? r : BufferSize;
            var frame = Math.Min(FrameSize, Math.Min(send, receive));
            if (frame > Size(akka, "maximum-frame-size"))
                system.Settings.InjectTopLevelFallback(ConfigurationFactory.ParseString(
                    $"{Path} {{ maximum-frame-size = {frame}b\nsend-buffer-size = {send}b\nreceive-buffer-size = {receive}b }}"));
        }
        if (!startedBefore) return null;
        var started = system.GetExtension<TcpExt>().Settings.MaxFrameSizeBytes;
        return started >= FrameSize ? null
            : $"Akka.IO TCP started before Akka.Couchbase, with akka.io.tcp.maximum-frame-size = {started} bytes: the " +
              $"client's connections read and write at most that much at a time, which costs CPU and allocations with " +
              $"values of a few KiB or more. Set akka.io.tcp {{ maximum-frame-size = 64k, send-buffer-size = 128k, " +
              $"receive-buffer-size = 128k }} in the application's HOCON, or create the Couchbase extension before " +
              $"anything uses Akka.IO TCP, or use akka.couchbase.transport = socket (docs/tuning.md).";
    }

    private static long Size(Config config, string key) => config.GetByteSize(key) ?? 0;
}
