using Akka.Actor;
using Akka.Configuration.Hocon;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Akka.Couchbase.Hosting.Tests;

/// <summary>
/// What <c>WithCouchbase</c> gives the actor system before any client exists (a complete configuration: the options
/// in front, every reference default behind), and how a host with bad options or a name used twice fails to start:
/// with a message naming the key or the name.
/// </summary>
public sealed class HostStartSpec
{
    private static IHost Host(Action<AkkaConfigurationBuilder> configure) =>
        new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddAkka("host-start-spec", configure);
                services.AddCouchbaseClient();
            })
            .Build();

    private static async Task<Exception> StartFails(Action<AkkaConfigurationBuilder> configure)
    {
        using var host = Host(configure);
        return await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
    }

    [Fact]
    public void The_configuration_is_complete_before_the_extension_starts()
    {
        using var host = Host(b => b
            .WithCouchbase(o => o.Bucket = "travel")
            .WithCouchbase("orders", o => o.Hocon = "max-backlog = 9"));
        var system = host.Services.GetRequiredService<ActorSystem>();
        Assert.False(system.HasExtension<CouchbaseExtension>());

        var config = system.Settings.Config;
        var reference = CouchbaseExtension.DefaultConfig;
        var differing = LeafPaths(reference.GetConfig("akka.couchbase"))
            .Where(key => key != "bucket")
            .Where(key => config.GetValue("akka.couchbase." + key)?.ToString() != reference.GetValue("akka.couchbase." + key).ToString())
            .ToList();
        Assert.Empty(differing);
        Assert.Equal("travel", config.GetString("akka.couchbase.bucket"));
        Assert.Equal(9, config.GetInt("akka.couchbase.clients.orders.max-backlog"));
        Assert.False(system.HasExtension<CouchbaseExtension>());
    }

    [Fact]
    public void Akka_IO_gets_the_clients_64_KiB_frames_under_hosting_unless_the_application_sets_its_own()
    {
        using (var host = Host(b => b.WithCouchbase(o => o.Bucket = "travel")))
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            _ = CouchbaseExtension.Get(system);
            Assert.Equal(64 * 1024, system.WithExtension<Akka.IO.TcpExt, Akka.IO.Tcp>().Settings.MaxFrameSizeBytes);
        }
        using (var host = Host(b => b
                   .AddHocon("akka.io.tcp { maximum-frame-size = 16k, send-buffer-size = 32k, receive-buffer-size = 32k }",
                       HoconAddMode.Prepend)
                   .WithCouchbase(o => o.Bucket = "travel")))
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            _ = CouchbaseExtension.Get(system);
            Assert.Equal(16 * 1024, system.WithExtension<Akka.IO.TcpExt, Akka.IO.Tcp>().Settings.MaxFrameSizeBytes);
        }
    }

    [Theory]
    [InlineData("", null, "akka.couchbase.bucket must not be empty")]
    [InlineData("travel", "host:notaport", "akka.couchbase.servers entry 'host:notaport' has a bad port")]
    public async Task Bad_options_of_the_default_client_fail_the_start_naming_the_key(string bucket, string? server, string message)
    {
        var e = await StartFails(b => b.WithCouchbase(o =>
        {
            o.Bucket = bucket;
            if (server is not null) o.Servers = new[] { server };
        }));
        Assert.IsAssignableFrom<ArgumentException>(e);
        Assert.StartsWith(message, e.Message);
    }

    [Theory]
    [InlineData("", null, "akka.couchbase.clients.orders.bucket must not be empty")]
    [InlineData("orders", "host:notaport", "akka.couchbase.clients.orders.servers entry 'host:notaport' has a bad port")]
    public async Task Bad_options_of_a_named_client_fail_the_start_naming_the_key(string bucket, string? server, string message)
    {
        var e = await StartFails(b => b.WithCouchbase<OrdersCouchbase>("orders", o =>
        {
            o.Bucket = bucket;
            if (server is not null) o.Servers = new[] { server };
        }));
        Assert.IsAssignableFrom<ArgumentException>(e);
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public async Task A_name_configured_twice_fails_the_start_naming_it()
    {
        var e = await StartFails(b => b
            .WithCouchbase("orders", o => o.Bucket = "orders")
            .WithCouchbase("orders", o => o.Bucket = "orders2"));
        Assert.Contains("the Couchbase client 'orders' is already configured", e.Message);

        e = await StartFails(b => b.WithCouchbase(o => o.Bucket = "a").WithCouchbase(o => o.Bucket = "b"));
        Assert.Contains("the default Couchbase client is already configured", e.Message);
    }

    [Fact]
    public async Task A_registry_key_used_twice_fails_the_start_naming_it()
    {
        var e = await StartFails(b => b
            .WithCouchbase<OrdersCouchbase>("orders", o => o.Bucket = "orders")
            .WithCouchbase<OrdersCouchbase>("archive", o => o.Bucket = "archive"));
        Assert.Contains("the ActorRegistry key OrdersCouchbase is already the supervisor of the Couchbase client 'orders'", e.Message);

        e = await StartFails(b => b
            .WithCouchbase(o => o.Bucket = "a")
            .WithCouchbase<CouchbaseSupervisor>("orders", o => o.Bucket = "orders"));
        Assert.Contains("already the supervisor of the default Couchbase client", e.Message);
    }

    [Theory]
    [InlineData("couchbase", "names the default client")]
    [InlineData("orders.eu", "cannot name a Couchbase client")]
    [InlineData("", "cannot name a Couchbase client")]
    public async Task A_name_that_cannot_be_a_client_section_fails_the_start(string name, string message)
    {
        var e = await StartFails(b => b.WithCouchbase(name, o => o.Bucket = "x"));
        Assert.Contains(message, e.Message);
    }

    /// <summary>The paths of every value (not object) under <paramref name="config"/>.</summary>
    private static IEnumerable<string> LeafPaths(Akka.Configuration.Config config)
    {
        static IEnumerable<string> Walk(HoconObject node, string prefix) =>
            node.Items.SelectMany(item => item.Value.IsObject()
                ? Walk(item.Value.GetObject(), prefix + item.Key + ".")
                : new[] { prefix + item.Key });
        return Walk(config.Root.GetObject(), "");
    }
}
