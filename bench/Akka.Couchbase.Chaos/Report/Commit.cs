using System.Diagnostics;

namespace Akka.Couchbase.Chaos.Report;

/// <summary>The commit the harness was built from (git, from the directory it runs in), for the record.</summary>
internal static class Commit
{
    public static string Describe()
    {
        try
        {
            var head = Git("rev-parse --short HEAD");
            if (string.IsNullOrEmpty(head)) return "unknown";
            var dirty = Git("status --porcelain --untracked-files=no");
            return string.IsNullOrEmpty(dirty) ? head : head + "+changes";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return "unknown";
        }
    }

    private static string Git(string arguments)
    {
        using var git = Process.Start(new ProcessStartInfo("git", arguments)
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var output = git.StandardOutput.ReadToEnd().Trim();
        if (!git.WaitForExit(5000)) return "";
        return git.ExitCode == 0 ? output : "";
    }
}
