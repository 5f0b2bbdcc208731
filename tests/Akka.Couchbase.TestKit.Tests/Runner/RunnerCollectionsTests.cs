using System.Diagnostics;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Tests.Collections;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Runner;

public sealed class RunnerCollectionsTests
{
    [Fact]
    public async Task Runner_creates_the_collections_it_is_given_in_every_couchbase_bucket()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Akka.Couchbase.TestKit.Runner.dll");
        var psi = new ProcessStartInfo("dotnet", $"\"{dll}\" --bucket default --bucket other --collection inventory.airline --collection inventory.hotel")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi)!;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await process.StandardOutput.ReadLineAsync(cts.Token);
            Assert.NotNull(line);
            var kv = ((JArray)JObject.Parse(line!)["nodes"]!)[0]!.Value<int>("kv");
            foreach (var bucket in new[] { "default", "other" })
            {
                await using var c = await CollectionFrames.ConnectAsync(kv, bucket);
                Assert.Equal((4UL, 10u), CollectionFrames.Ids(await c.LookUpAsync(Opcode.GetCollectionId, "inventory.airline")));
                Assert.Equal((4UL, 11u), CollectionFrames.Ids(await c.LookUpAsync(Opcode.GetCollectionId, "inventory.hotel")));
            }
            process.StandardInput.Close();
            await process.WaitForExitAsync(cts.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Runner_refuses_a_collection_that_is_not_scope_dot_collection()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Akka.Couchbase.TestKit.Runner.dll");
        var psi = new ProcessStartInfo("dotnet", $"\"{dll}\" --collection airline")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi)!;
        try
        {
            var errors = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(cts.Token);
            Assert.Equal(2, process.ExitCode);
            Assert.Contains("--collection takes scope.collection", await errors);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
