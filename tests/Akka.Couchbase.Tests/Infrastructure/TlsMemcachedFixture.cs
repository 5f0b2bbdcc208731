using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Akka.Couchbase.Tests.Infrastructure;

/// <summary>
/// A stock memcached speaking TLS only (<c>-Z</c>), with a certificate for <c>localhost</c> and <c>127.0.0.1</c>
/// signed by a CA made for the run (<see cref="Ca"/>), and a second CA that signed nothing of it
/// (<see cref="OtherCa"/>). Started only when memcached has TLS (see <see cref="TlsFactAttribute"/>).
/// </summary>
public sealed class TlsMemcachedFixture : IDisposable
{
    public TlsMemcachedFixture()
    {
        Ca = new TestCertificates("Akka.Couchbase Test CA");
        OtherCa = new TestCertificates("Some Other CA");
        if (!MemcachedProcess.SupportsTls) return;
        var (chain, key) = Ca.Localhost();
        _memcached = MemcachedProcess.WithTls(chain, key);
    }

    private readonly MemcachedProcess? _memcached;

    /// <summary>The CA that signed the server's certificate.</summary>
    public TestCertificates Ca { get; }

    /// <summary>A CA that signed none of the servers' certificates.</summary>
    public TestCertificates OtherCa { get; }

    /// <summary>The TLS memcached.</summary>
    public MemcachedProcess Memcached => _memcached ?? throw new InvalidOperationException("memcached has no TLS here");

    /// <summary>
    /// The connections the server has accepted since it started (memcached's <c>total_connections</c>), the one
    /// that asks included: read over TLS with the ASCII <c>stats</c> command.
    /// </summary>
    public static async Task<long> TotalConnectionsAsync(MemcachedProcess server)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Port);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost");
        await tls.WriteAsync("stats\r\n"u8.ToArray());
        var text = new StringBuilder();
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!text.ToString().Contains("END\r\n"))
        {
            var read = await tls.ReadAsync(buffer, deadline.Token);
            if (read == 0) throw new IOException("memcached closed the stats connection");
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        var line = text.ToString().Split("\r\n").Single(l => l.StartsWith("STAT total_connections ", StringComparison.Ordinal));
        return long.Parse(line["STAT total_connections ".Length..]);
    }

    public void Dispose()
    {
        _memcached?.Dispose();
        Ca.Dispose();
        OtherCa.Dispose();
    }
}

/// <summary>A fact that needs memcached built with TLS: skipped, saying so, when <c>memcached -h</c> shows no TLS.</summary>
public sealed class TlsFactAttribute : FactAttribute
{
    public TlsFactAttribute()
    {
        if (!MemcachedProcess.SupportsTls)
            Skip = "the installed memcached is built without TLS (memcached -h lists no --enable-ssl), so there is no TLS server to test against";
    }
}
