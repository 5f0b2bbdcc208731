using System.Diagnostics;

namespace ClusterDemo;

/// <summary>
/// Progress of a long phase: on a terminal one line that updates in place (about ten times a second); when the
/// output is redirected (a log, a CI job) a plain line at each quarter, so logs stay readable and greppable.
/// </summary>
public static class Progress
{
    private static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>True when standard output is a terminal (not redirected to a file or a pipe).</summary>
    public static bool OnTerminal => !Console.IsOutputRedirected;

    /// <summary>
    /// Shows how far <paramref name="current"/> has come towards <paramref name="total"/> until
    /// <paramref name="phase"/> completes, then ends the line with the final count and the time it took.
    /// Never throws because the phase failed: the caller awaits the phase itself.
    /// </summary>
    public static async Task TrackAsync(string name, long total, Func<long> current, Task phase)
    {
        var watch = Stopwatch.StartNew();
        var quartersShown = 0;
        while (!phase.IsCompleted)
        {
            await Task.WhenAny(phase, Task.Delay(TerminalInterval));
            var done = Math.Min(current(), total);
            if (OnTerminal)
            {
                Console.Write($"\r{name}: {done:N0} of {total:N0} ({Percent(done, total)}%)   ");
            }
            else
            {
                var quarters = total == 0 ? 4 : (int)(done * 4 / total);
                if (quarters <= quartersShown || quarters >= 4) continue;
                quartersShown = quarters;
                Console.WriteLine($"{name}: {done:N0} of {total:N0} ({Percent(done, total)}%)");
            }
        }
        var final = Math.Min(current(), total);
        var line = $"{name}: {final:N0} of {total:N0} in {watch.Elapsed.TotalMilliseconds:F0} ms";
        Console.WriteLine(OnTerminal ? $"\r{line}          " : line);
    }

    private static long Percent(long done, long total) => total == 0 ? 100 : done * 100 / total;
}
