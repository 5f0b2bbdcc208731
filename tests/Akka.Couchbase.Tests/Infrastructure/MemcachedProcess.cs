using System.Diagnostics;

namespace Akka.Couchbase.Tests.Infrastructure;

/// <summary>
/// A stock memcached (Debian package <c>memcached</c>) started on a free loopback port, optionally with SASL
/// (<c>-S</c>, a sasldb made with <c>saslpasswd2</c> from <c>sasl2-bin</c>), or with TLS on every connection
/// (<c>-Z</c>, when the build has it: <see cref="SupportsTls"/>). The README's test command installs both packages.
/// </summary>
public sealed class MemcachedProcess : IDisposable
{
    private Process? _process;
    private readonly string? _saslDir;
    private readonly string _tlsArgs = "";
    private static readonly Lazy<bool> TlsBuild = new(() =>
    {
        try
        {
            return Help().Contains("--enable-ssl", StringComparison.Ordinal);
        }
        catch (InvalidOperationException)
        {
            return true; // not installed at all: the TLS tests fail with the install hint, as every memcached test does
        }
    });

    private MemcachedProcess(int port, string? user, string? password, string? tlsChain = null, string? tlsKey = null,
        string? clientCa = null)
    {
        if (tlsChain is not null) _tlsArgs = $" -Z -o ssl_chain_cert={tlsChain},ssl_key={tlsKey}";
        // ssl_verify_mode 2: a client certificate signed by ssl_ca_cert is required.
        if (clientCa is not null) _tlsArgs += $",ssl_ca_cert={clientCa},ssl_verify_mode=2";
        Port = port;
        User = user;
        Password = password;
        if (user is not null)
        {
            _saslDir = Directory.CreateTempSubdirectory("memcached-sasl-").FullName;
            File.WriteAllText(Path.Combine(_saslDir, "memcached.conf"),
                $"mech_list: plain\nsasldb_path: {Path.Combine(_saslDir, "sasldb2")}\n");
            Run(Locate("saslpasswd2", "sasl2-bin"), $"-a memcached -c -p -f {Path.Combine(_saslDir, "sasldb2")} {user}", password!);
        }
        Start();
    }

    public int Port { get; }
    public string? User { get; }
    public string? Password { get; }
    public string Address => $"127.0.0.1:{Port}";

    public static MemcachedProcess Plain() => OnFreePort(port => new(port, null, null));

    /// <summary>A plain memcached on <paramref name="port"/> (a port another test server just gave up).</summary>
    public static MemcachedProcess PlainOn(int port) => new(port, null, null);

    public static MemcachedProcess WithSasl(string user, string password) => OnFreePort(port => new(port, user, password));

    /// <summary>A memcached that speaks TLS only, with this certificate chain and key (PEM files).</summary>
    public static MemcachedProcess WithTls(string chainPath, string keyPath) =>
        OnFreePort(port => new(port, null, null, chainPath, keyPath));

    /// <summary>A memcached that speaks TLS only and requires a client certificate signed by <paramref name="clientCaPath"/>.</summary>
    public static MemcachedProcess WithMutualTls(string chainPath, string keyPath, string clientCaPath) =>
        OnFreePort(port => new(port, null, null, chainPath, keyPath, clientCaPath));

    /// <summary>A memcached that speaks TLS only and asks for SASL (its sasldb offers PLAIN only).</summary>
    public static MemcachedProcess WithSaslAndTls(string user, string password, string chainPath, string keyPath) =>
        OnFreePort(port => new(port, user, password, chainPath, keyPath));

    /// <summary>
    /// Starts memcached on a port that was free a moment ago; should another server take it in between (tests run
    /// in parallel), memcached cannot listen there, and it is started again on another port.
    /// </summary>
    private static MemcachedProcess OnFreePort(Func<int, MemcachedProcess> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return start(FreePort.Next());
            }
            catch (PortTakenException) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>memcached could not listen on its port: something else listens there.</summary>
    private sealed class PortTakenException(string message) : InvalidOperationException(message);

    /// <summary>Whether the installed memcached was built with TLS (<c>memcached -h</c> lists <c>--enable-ssl</c>).</summary>
    public static bool SupportsTls => TlsBuild.Value;

    /// <summary>Starts memcached again on the same port (after <see cref="Kill"/>).</summary>
    public void Start()
    {
        var args = $"-u root -p {Port} -U 0 -l 127.0.0.1 -t 2 -m 256" + (_saslDir is null ? "" : " -S") + _tlsArgs;
        var info = new ProcessStartInfo(Locate("memcached", "memcached"), args)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (_saslDir is not null) info.Environment["SASL_CONF_PATH"] = _saslDir;
        _process = Process.Start(info) ?? throw new InvalidOperationException("memcached did not start");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                var error = _process.StandardError.ReadToEnd();
                _process.Dispose();
                _process = null;
                if (error.Contains("failed to listen", StringComparison.OrdinalIgnoreCase) ||
                    error.Contains("Address already in use", StringComparison.OrdinalIgnoreCase))
                    throw new PortTakenException($"memcached could not listen on {Port}: {error}");
                throw new InvalidOperationException($"memcached exited at start: {error}");
            }
            // Listening, by this process: a connection alone could reach another server that holds the port.
            if (LoopbackListeners.Owns(_process.Id, Port)) return;
            Thread.Sleep(20);
        }
        throw new TimeoutException($"memcached did not listen on {Port} within 10s");
    }

    /// <summary>Kills the process at once (SIGKILL): connections drop without goodbye.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        if (_saslDir is not null) Directory.Delete(_saslDir, recursive: true);
    }

    private static string Locate(string program, string package)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(new[] { "/usr/bin", "/usr/sbin" }))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException(
            $"{program} is not installed: install the Debian package {package} (the README's test command does)");
    }

    private static string Help()
    {
        var info = new ProcessStartInfo(Locate("memcached", "memcached"), "-h")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit(10000);
        return text + stderr.Result;
    }

    private static void Run(string program, string args, string stdin)
    {
        var info = new ProcessStartInfo(program, args) { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(info)!;
        p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        p.WaitForExit(10000);
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} failed: {p.StandardError.ReadToEnd()}");
    }
}
