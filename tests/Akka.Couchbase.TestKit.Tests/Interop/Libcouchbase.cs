using System.Diagnostics;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Interop;

/// <summary>
/// libcouchbase's command-line tools (Couchbase's C SDK, 3.3.19) from <c>../shared/tools/libcouchbase</c> beside the
/// repository (the directory holding <c>Akka.Couchbase.sln</c>), run through its <c>run</c> script.
/// </summary>
internal static class Libcouchbase
{
    /// <summary>Why the tools cannot be used here, or null when they can.</summary>
    public static string? Unavailable { get; } = FindRunScript() is null
        ? "libcouchbase's cbc is not beside this repository (../shared/tools/libcouchbase/run, relative to the directory holding Akka.Couchbase.sln); clones without it skip these interop tests"
        : null;

    public static string RunScript => FindRunScript() ?? throw new InvalidOperationException(Unavailable);

    /// <summary>Runs <c>cbc</c> with <paramref name="arguments"/>; returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> CbcAsync(params string[] arguments)
    {
        var psi = new ProcessStartInfo(RunScript)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("cbc");
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cbc {string.Join(' ', arguments)} did not finish within 60 s:\n{await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string? FindRunScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Akka.Couchbase.sln"))) continue;
            var run = Path.Combine(dir.FullName, "..", "shared", "tools", "libcouchbase", "run");
            return File.Exists(run) ? Path.GetFullPath(run) : null;
        }
        return null;
    }
}

/// <summary>A fact that needs libcouchbase's cbc; skipped, saying why, where the tools are absent.</summary>
public sealed class CbcFactAttribute : FactAttribute
{
    public CbcFactAttribute()
    {
        if (Libcouchbase.Unavailable is { } reason) Skip = reason;
    }
}
