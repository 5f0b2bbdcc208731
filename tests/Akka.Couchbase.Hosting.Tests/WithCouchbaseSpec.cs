using Akka.Actor;
using Akka.Couchbase.TestKit;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Akka.Couchbase.Hosting.Tests;

/// <summary>
/// A generic host configured with <c>WithCouchbase</c> and <c>AddCouchbaseClient</c> talks to an in-process cluster:
/// the Task facade comes from dependency injection and the supervisor from the ActorRegistry, with the options set
/// in code (a password with quotes and braces survives the trip through HOCON).
/// </summary>
public sealed class WithCouchbaseSpec : IAsyncLifetime
{
    private const string Password = "p\"a{s}s w=rd";
    private InProcessCluster _cluster = null!;

    public async Task InitializeAsync() =>
        _cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions { Users = { ["app"] = Password } });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private IHost Host(Action<CouchbaseOptions> configure) =>
        new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddAkka("hosting-spec", builder => builder.WithCouchbase(configure));
                services.AddCouchbaseClient();
            })
            .Build();

    [Fact]
    public async Task The_client_and_the_supervisor_are_injected_and_use_the_options_set_in_code()
    {
        using var host = Host(o =>
        {
            o.Servers = _cluster.Nodes.Select(n => $"127.0.0.1:{n.KvPort}").ToList();
            o.Username = "app";
            o.Password = Password;
            o.OperationTimeout = TimeSpan.FromSeconds(3);
            o.Hocon = "max-backlog = 123";
        });
        await host.StartAsync();
        try
        {
            var client = host.Services.GetRequiredService<CouchbaseClient>();
            Assert.Equal(TimeSpan.FromSeconds(3), client.Settings.OperationTimeout);
            Assert.Equal(123, client.Settings.MaxBacklog);
            await client.ConnectAsync(TimeSpan.FromSeconds(15));
            await client.UpsertAsync("hosted", "yes");

            var supervisor = await host.Services.GetRequiredService<IRequiredActor<CouchbaseSupervisor>>().GetAsync();
            Assert.Equal(client.Supervisor, supervisor);
            var reply = await supervisor.Ask<GetResult>(new Kv.Get("hosted"), TimeSpan.FromSeconds(5));
            Assert.Equal("yes", reply.ContentAs<string>());
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void Options_become_the_akka_couchbase_section_with_every_value_quoted()
    {
        var hocon = new CouchbaseOptions
        {
            Servers = new[] { "a:11210", "b" },
            Bucket = "travel",
            BucketType = BucketType.Memcached,
            Password = Password,
        }.ToHocon();
        var settings = CouchbaseSettings.Create(Akka.Configuration.ConfigurationFactory.ParseString(hocon).GetConfig("akka.couchbase")
            .WithFallback(Akka.Configuration.ConfigurationFactory.ParseString("username = u")));
        Assert.Equal(new[] { ("a", 11210), ("b", 11210) }, settings.Servers);
        Assert.Equal("travel", settings.Bucket);
        Assert.Equal(BucketType.Memcached, settings.BucketType);
        Assert.Equal(Password, settings.Password);
        Assert.DoesNotContain(Password, new CouchbaseOptions { Password = Password }.ToString());
    }
}
