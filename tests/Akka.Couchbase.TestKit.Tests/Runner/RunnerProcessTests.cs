using System.Diagnostics;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Tests.Support;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.Runner;

public sealed class RunnerProcessTests
{
    [Fact]
    public async Task Runner_prints_ports_serves_kv_and_exits_when_stdin_closes()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Akka.Couchbase.TestKit.Runner.dll");
        Assert.True(File.Exists(dll), "runner not copied next to the tests: " + dll);
        var psi = new ProcessStartInfo("dotnet", $"\"{dll}\" --nodes 2 --bucket default --bucket other --vbuckets 16 --replicas 1 --user tester --password secret")
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
            var info = JObject.Parse(line!);
            var nodes = (JArray)info["nodes"]!;
            Assert.Equal(2, nodes.Count);
            var kv0 = nodes[0]!.Value<int>("kv");
            var kv1 = nodes[1]!.Value<int>("kv");
            Assert.Equal($"couchbase://127.0.0.1:{kv0},127.0.0.1:{kv1}", info.Value<string>("connectionString"));
            Assert.Equal(new[] { "default", "other" }, info["buckets"]!.Values<string>());

            await using (var c = await RawKvClient.ConnectBucketAsync(kv0, "other", "tester", "secret"))
            {
                var cfg = JObject.Parse(System.Text.Encoding.UTF8.GetString((await c.CallAsync(Opcode.GetClusterConfig)).Value));
                Assert.Equal(16, ((JArray)cfg["vBucketServerMap"]!["vBucketMap"]!).Count);
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
    public async Task Runner_with_tls_prints_couchbases_the_ca_and_the_tls_ports_that_serve_kv()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Akka.Couchbase.TestKit.Runner.dll");
        var psi = new ProcessStartInfo("dotnet", $"\"{dll}\" --nodes 2 --client-certificates optional")
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
            var info = JObject.Parse(line!);
            var nodes = (JArray)info["nodes"]!;
            var tls0 = nodes[0]!.Value<int>("kvTls");
            var tls1 = nodes[1]!.Value<int>("kvTls");
            Assert.Equal($"couchbases://127.0.0.1:{tls0},127.0.0.1:{tls1}", info.Value<string>("connectionString"));
            Assert.Equal($"couchbase://127.0.0.1:{nodes[0]!.Value<int>("kv")},127.0.0.1:{nodes[1]!.Value<int>("kv")}",
                info.Value<string>("plainConnectionString"));
            Assert.Equal("optional", info["tls"]!.Value<string>("clientCertificates"));
            var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(info["tls"]!.Value<string>("caPath")!));
            var issued = info["tls"]!["clientCertificate"]!;
            var client = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(
                issued.Value<string>("certificatePath")!, issued.Value<string>("privateKeyPath")!);

            // the printed certificate authenticates a KV session over TLS without SASL
            await using (var c = await RawKvClient.ConnectTlsAsync(tls1, new TlsClient(ca) { ClientCertificate = client }))
                Assert.Equal(KvStatus.Success, (await c.SelectBucketAsync("default")).Status);

            process.StandardInput.Close();
            await process.WaitForExitAsync(cts.Token);
            Assert.Equal(0, process.ExitCode);
            Assert.False(File.Exists(info["tls"]!.Value<string>("caPath")), "the runner should delete its TLS files on exit");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
