using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Akka.Couchbase.Streams.Tests.Interop;

/// <summary>
/// PouchDB Server (npm <c>pouchdb-server</c>, pinned in tests/interop/couchdb), a CouchDB-compatible server that
/// no one here wrote, run in memory on a free loopback port. The README's test command installs it.
/// </summary>
public sealed class PouchDbServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _workDir;

    private PouchDbServer(Process process, string workDir, int port)
    {
        _process = process;
        _workDir = workDir;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    }

    public int Port { get; }
    public HttpClient Http { get; }

    public static async Task<PouchDbServer> StartAsync()
    {
        var dir = FindInteropDir();
        var script = Path.Combine(dir, "node_modules", "pouchdb-server", "bin", "pouchdb-server");
        if (!File.Exists(script))
            throw new InvalidOperationException(
                $"{script} is missing: run `npm install --no-audit --no-fund` in {dir} (the README's test command does)");
        var port = FreePort();
        var workDir = Directory.CreateTempSubdirectory("pouchdb-").FullName;
        var process = Process.Start(new ProcessStartInfo("node", $"\"{script}\" --in-memory --host 127.0.0.1 --port {port}")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("node did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PouchDbServer(process, workDir, port);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"pouchdb-server exited with {process.ExitCode}");
            try
            {
                using var response = await server.Http.GetAsync("");
                if (response.IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("pouchdb-server did not answer within 30s");
            await Task.Delay(100);
        }
    }

    public async Task PutAsync(string path, string json)
    {
        using var response = await Http.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task BulkAsync(string db, IEnumerable<object> docs)
    {
        var body = Newtonsoft.Json.JsonConvert.SerializeObject(new { docs });
        using var response = await Http.PostAsync($"{db}/_bulk_docs", new StringContent(body, Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"_bulk_docs: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }

    private static string FindInteropDir()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Akka.Couchbase.sln"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException($"no Akka.Couchbase.sln above {AppContext.BaseDirectory}");
        return Path.Combine(dir.FullName, "tests", "interop", "couchdb");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
