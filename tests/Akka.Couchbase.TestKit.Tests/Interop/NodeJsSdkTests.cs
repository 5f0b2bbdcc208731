using System.Diagnostics;
using Akka.Couchbase.TestKit.Data;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.TestKit.Tests.Interop;

/// <summary>
/// Couchbase's own Node.js SDK (npm <c>couchbase</c>, C++ core) against an in-process 3-node cluster with SCRAM:
/// runs <c>tests/interop/nodejs/interop.js</c> and fails on any step it reports as a mismatch.
/// </summary>
public sealed class NodeJsSdkTests
{
    private readonly ITestOutputHelper _output;

    public NodeJsSdkTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Node_sdk_crud_errors_counter_touch_lock_and_view_query()
    {
        var script = FindUp(Path.Combine("tests", "interop", "nodejs", "interop.js"));
        if (script is null)
        {
            Missing("tests/interop/nodejs/interop.js not found");
            return;
        }
        var dir = Path.GetDirectoryName(script)!;
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "couchbase")))
        {
            Missing($"{Path.Combine(dir, "node_modules")} is missing (run `npm install --no-audit --no-fund` in {dir}; `npm ci` refuses the lock file because the registry serves no Windows binary)");
            return;
        }
        if (!await NodeAvailableAsync())
        {
            Missing("`node` is not on the PATH");
            return;
        }
        var zip = BeerSample.TryLocateZip();
        if (zip is null)
        {
            Missing("shared/data/beer-sample.zip not found (the view step needs it)");
            return;
        }

        await using var cluster = await BeerSample.StartClusterAsync(zip, new InProcessClusterOptions
        {
            Nodes = 3,
            Buckets =
            {
                new BucketDefinition("default", BucketType.Couchbase, VBuckets: 64, Replicas: 1),
                new BucketDefinition(BeerSample.BucketName, BucketType.Couchbase, VBuckets: 64, Replicas: 1),
            },
            Users = { ["Administrator"] = "password" },
        });

        var psi = new ProcessStartInfo("node", $"\"{script}\"")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["CB_CONNSTR"] = cluster.ConnectionString;
        psi.Environment["CB_USERNAME"] = "Administrator";
        psi.Environment["CB_PASSWORD"] = "password";
        psi.Environment["CB_BUCKET"] = "default";
        psi.Environment["CB_VIEW_BUCKET"] = "beer-sample";
        psi.Environment["CB_MGMT_URL"] = $"http://127.0.0.1:{cluster.Nodes[0].MgmtPort}";
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
        var output = await stdout;
        _output.WriteLine(output);
        var errors = await stderr;
        if (errors.Length > 0) _output.WriteLine("stderr:\n" + errors);
        var failed = output.Split('\n').Where(l => l.Contains("\"ok\":false", StringComparison.Ordinal)).ToList();
        Assert.True(failed.Count == 0, "steps failed:\n" + string.Join("\n", failed));
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("\"step\":\"view-brewery_beers-limit-5\",\"ok\":true", output);
        Assert.Contains("\"step\":\"failover-node-2-then-read-and-write\",\"ok\":true", output);
        Assert.False(cluster.Nodes[2].InCluster);
        Assert.True(cluster.SuccessfulAuthentications.Keys.Any(m => m.StartsWith("SCRAM-", StringComparison.Ordinal)),
            "the SDK should have authenticated with SCRAM; saw: " + string.Join(",", cluster.SuccessfulAuthentications.Keys));
    }

    /// <summary>
    /// A missing prerequisite is a failure that says how to get it (the README's test command installs all of
    /// them): a test that passes without running would hide that the SDK was never tried.
    /// </summary>
    private static void Missing(string reason) =>
        throw new Xunit.Sdk.XunitException("Node.js interop could not run: " + reason +
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
