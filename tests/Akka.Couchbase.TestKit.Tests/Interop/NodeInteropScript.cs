using System.Diagnostics;

namespace Akka.Couchbase.TestKit.Tests.Interop;

/// <summary>
/// <c>tests/interop/nodejs/interop.js</c> and what it needs (node, the SDK installed beside it, beer-sample), and one
/// run of it with the environment a test gives.
/// </summary>
internal sealed class NodeInteropScript
{
    private NodeInteropScript(string script) => Script = script;

    public string Script { get; }

    public string Directory => Path.GetDirectoryName(Script)!;

    /// <summary>
    /// Finds the script (<paramref name="name"/> in tests/interop/nodejs) and checks its prerequisites; a missing one
    /// fails the test with how to get it.
    /// </summary>
    public static async Task<NodeInteropScript> LocateAsync(string name = "interop.js")
    {
        var script = FindUp(Path.Combine("tests", "interop", "nodejs", name))
                     ?? throw Missing($"tests/interop/nodejs/{name} not found");
        var dir = Path.GetDirectoryName(script)!;
        if (!System.IO.Directory.Exists(Path.Combine(dir, "node_modules", "couchbase")))
            throw Missing($"{Path.Combine(dir, "node_modules")} is missing (run `npm install --no-audit --no-fund` in {dir}; `npm ci` refuses the lock file because the registry serves no Windows binary)");
        if (!await NodeAvailableAsync()) throw Missing("`node` is not on the PATH");
        return new NodeInteropScript(script);
    }

    /// <summary>Runs the script with <paramref name="environment"/>; returns its exit code and standard output.</summary>
    public async Task<(int ExitCode, string Output, string Errors)> RunAsync(IReadOnlyDictionary<string, string> environment)
    {
        var psi = new ProcessStartInfo("node", $"\"{Script}\"")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the Node.js interop script did not finish within 120 s:\n" + await stdout);
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// A missing prerequisite is a failure that says how to get it (the README's test command installs all of
    /// them): a test that passes without running would hide that the SDK was never tried.
    /// </summary>
    public static Exception Missing(string reason) =>
        new Xunit.Sdk.XunitException("Node.js interop could not run: " + reason +
                                     " (bash scripts/test.sh installs Node.js and the SDK)");

    private static async Task<bool> NodeAvailableAsync()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            if (p is null) return false;
            await p.WaitForExitAsync();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string? FindUp(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
            dir = dir.Parent;
        }
        return null;
    }
}
