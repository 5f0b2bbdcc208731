using System.Globalization;

namespace Akka.Couchbase.Tests.Infrastructure;

/// <summary>
/// Which process listens on a loopback TCP port, read from Linux's <c>/proc</c>: the listening socket of
/// <c>/proc/net/tcp</c> (state 0A) for 127.0.0.1:port, and whether the process holds it among its file descriptors.
/// </summary>
internal static class LoopbackListeners
{
    private const string Listen = "0A";
    private const string Loopback = "0100007F"; // 127.0.0.1, as /proc/net/tcp writes it

    /// <summary>True when process <paramref name="pid"/> listens on 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool Owns(int pid, int port)
    {
        var inodes = ListeningInodes(port);
        if (inodes.Count == 0) return false;
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                var target = new FileInfo(fd).LinkTarget; // "socket:[inode]"
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) &&
                    inodes.Contains(target[8..^1]))
                    return true;
            }
        }
        catch (Exception e) when (e is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            // The process exited meanwhile (its caller sees that), or a descriptor closed while being read.
        }
        return false;
    }

    private static HashSet<string> ListeningInodes(int port)
    {
        var local = $"{Loopback}:{port.ToString("X4", CultureInfo.InvariantCulture)}";
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 9 && fields[1] == local && fields[3] == Listen) inodes.Add(fields[9]);
        }
        return inodes;
    }
}
