using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Couchbase.Tests.Infrastructure;
using Akka.Event;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.KeyValue;

/// <summary>
/// Passwords and private keys never reach a log line or an exception message: a client logging at DEBUG
/// authenticates with SASL PLAIN over TLS, fails with a wrong password, and presents a client certificate from a
/// password-locked PKCS#12 file and from a PEM key; every log event and every failure it produced is searched for
/// each secret.
/// </summary>
public sealed class SecretsStayOutOfLogsSpec : IClassFixture<TlsMemcachedFixture>
{
    private const string Password = "sasl-Secret-7731";
    private const string WrongPassword = "wrong-Secret-4417";
    private const string Pkcs12Password = "p12-Secret-9902";

    private readonly TlsMemcachedFixture _server;
    private readonly ITestOutputHelper _output;

    public SecretsStayOutOfLogsSpec(TlsMemcachedFixture server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
    }

    /// <summary>Collects every log event of its actor system as text (message and cause).</summary>
    private sealed class LogCollector : ReceiveActor
    {
        public LogCollector(ConcurrentQueue<string> lines) => Receive<LogEvent>(e => lines.Enqueue(e.ToString()));
    }

    private async Task<List<string>> RunLogged(string couchbaseHocon, Func<CouchbaseClient, Task> use)
    {
        var lines = new ConcurrentQueue<string>();
        var system = ActorSystem.Create("secrets", ConfigurationFactory.ParseString(
            "akka.loglevel = DEBUG\nakka.stdout-loglevel = OFF\nakka.loggers = []\n" +
            "akka.couchbase { " + couchbaseHocon + " }"));
        var texts = new List<string>();
        try
        {
            var collector = system.ActorOf(Props.Create(() => new LogCollector(lines)));
            system.EventStream.Subscribe(collector, typeof(LogEvent));
            var client = CouchbaseExtension.Get(system).Client;
            texts.Add(client.Settings.ToString());
            texts.Add(client.Settings.Tls.ToString());
            try
            {
                await use(client);
            }
            catch (Exception e)
            {
                texts.Add(e.ToString());
            }
        }
        finally
        {
            await system.Terminate();
        }
        texts.AddRange(lines);
        return texts;
    }

    private static void AssertNoSecret(IEnumerable<string> texts, params string[] secrets)
    {
        var all = texts.ToList();
        Assert.NotEmpty(all);
        foreach (var text in all)
            foreach (var secret in secrets)
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a secret appears in: {text}");
    }

    private string Trust => $"trusted-certificates = [\"{_server.Ca.CaPath}\"]";

    [TlsFact]
    public async Task Sasl_passwords_right_or_wrong_are_never_logged_nor_in_failures()
    {
        var (chain, key) = _server.Ca.Localhost();
        using var sasl = MemcachedProcess.WithSaslAndTls("app", Password, chain, key);
        string Hocon(string password) =>
            $"servers = [\"{sasl.Address}\"]\nbucket-type = memcached\nusername = app\npassword = \"{password}\"\n" +
            $"connect-timeout = 2s\ntls {{ enabled = on\n{Trust} }}\n";

        var good = await RunLogged(Hocon(Password), async client =>
        {
            await client.ConnectAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(KvOutcome.Success, (await client.UpsertAsync("secret-doc", "v")).Outcome);
        });
        var bad = await RunLogged(Hocon(WrongPassword), client => client.ConnectAsync(TimeSpan.FromSeconds(2)));

        Assert.Contains(good, l => l.Contains("PLAIN", StringComparison.Ordinal) || l.Contains("Connected", StringComparison.Ordinal));
        Assert.Contains(bad, l => l.Contains("authentication of user 'app' failed", StringComparison.Ordinal));
        AssertNoSecret(good.Concat(bad), Password, WrongPassword);
        foreach (var line in bad.Take(20)) _output.WriteLine(line);
    }

    [TlsFact]
    public async Task Client_certificate_passwords_and_private_keys_are_never_logged_nor_in_failures()
    {
        var (chain, key) = _server.Ca.Localhost();
        using var mutual = MemcachedProcess.WithMutualTls(chain, key, _server.Ca.CaPath);
        var (certificate, clientKey, pkcs12) = _server.Ca.Client("app", Pkcs12Password);
        var keyBody = File.ReadAllLines(clientKey).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).ToArray();
        string Hocon(string tls) =>
            $"servers = [\"{mutual.Address}\"]\nbucket-type = memcached\nconnect-timeout = 2s\n" +
            $"tls {{ enabled = on\n{Trust}\n{tls} }}\n";

        var p12 = await RunLogged(Hocon($"client-certificate = \"{pkcs12}\"\nclient-certificate-password = \"{Pkcs12Password}\""),
            async client =>
            {
                await client.ConnectAsync(TimeSpan.FromSeconds(5));
                Assert.Equal(KvOutcome.Success, (await client.UpsertAsync("p12-doc", "v")).Outcome);
            });
        var pem = await RunLogged(Hocon($"client-certificate = \"{certificate}\"\nclient-key = \"{clientKey}\""),
            async client => await client.ConnectAsync(TimeSpan.FromSeconds(5)));
        var refused = Assert.Throws<ArgumentException>(() => CouchbaseSettings.Create(ConfigurationFactory.ParseString(
            $"tls {{ enabled = on, client-certificate = \"{pkcs12}\", client-certificate-password = \"{WrongPassword}\" }}")));

        AssertNoSecret(p12.Concat(pem).Append(refused.ToString()), new[] { Pkcs12Password, WrongPassword }.Concat(keyBody).ToArray());
    }
}
