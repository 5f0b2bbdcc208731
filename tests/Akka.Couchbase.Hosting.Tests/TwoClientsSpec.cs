using System.Text;
using Akka.Actor;
using Akka.Couchbase.TestKit;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Akka.Couchbase.Hosting.Tests;

/// <summary>The ActorRegistry key of the orders client's supervisor, as an application would declare it.</summary>
public sealed class OrdersCouchbase
{
}

/// <summary>A component that takes the orders client by its name.</summary>
public sealed class OrdersRepository([FromKeyedServices("orders")] CouchbaseClient client)
{
    public CouchbaseClient Client { get; } = client;
}

/// <summary>
/// One generic host, two clients on two in-process clusters: the default one (<c>WithCouchbase(o =&gt; ...)</c>) and
/// one named "orders" (<c>WithCouchbase&lt;OrdersCouchbase&gt;("orders", o =&gt; ...)</c>). Both start with the actor
/// system, each supervisor is in the ActorRegistry under its own key, each Task facade comes from dependency injection
/// (plain, keyed, and through <see cref="CouchbaseClients"/>), and each client sees its own cluster only.
/// </summary>
public sealed class TwoClientsSpec : IAsyncLifetime
{
    private InProcessCluster _main = null!;
    private InProcessCluster _orders = null!;

    public async Task InitializeAsync()
    {
        _main = await InProcessCluster.StartAsync(new InProcessClusterOptions { Users = { ["app"] = "main-secret" } });
        _orders = await InProcessCluster.StartAsync(new InProcessClusterOptions
        {
            Buckets = { new BucketDefinition("orders") }, Users = { ["orders-app"] = "orders-secret" },
        });
    }

    public async Task DisposeAsync()
    {
        await _main.DisposeAsync();
        await _orders.DisposeAsync();
    }

    private static IReadOnlyList<string> Servers(InProcessCluster cluster) =>
        cluster.Nodes.Select(n => $"127.0.0.1:{n.KvPort}").ToList();

    private static string HttpServers(InProcessCluster cluster) =>
        $"http-bootstrap.servers = [{string.Join(", ", cluster.Nodes.Select(n => $"\"127.0.0.1:{n.MgmtPort}\""))}]";

    private IHost Host() =>
        new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddAkka("two-clients", builder => builder
                    .WithCouchbase(o =>
                    {
                        o.Servers = Servers(_main);
                        o.Username = "app";
                        o.Password = "main-secret";
                        o.OperationTimeout = TimeSpan.FromSeconds(4);
                        o.Hocon = HttpServers(_main);
                    })
                    .WithCouchbase<OrdersCouchbase>("orders", o =>
                    {
                        o.Servers = Servers(_orders);
                        o.Bucket = "orders";
                        o.Username = "orders-app";
                        o.Password = "orders-secret";
                        o.Hocon = HttpServers(_orders);
                    }));
                services.AddCouchbaseClient();
                services.AddCouchbaseClient("orders");
                services.AddSingleton<OrdersRepository>();
            })
            .Build();

    [Fact]
    public async Task Each_client_starts_with_the_system_is_injected_by_its_name_and_keeps_to_its_own_cluster()
    {
        using var host = Host();
        await host.StartAsync();
        try
        {
            // Started with the actor system: both supervisors are registered once the host has started.
            var registry = ActorRegistry.For(host.Services.GetRequiredService<ActorSystem>());
            Assert.True(registry.TryGet<CouchbaseSupervisor>(out var mainSupervisor));
            Assert.True(registry.TryGet<OrdersCouchbase>(out var ordersSupervisor));
            Assert.NotEqual(mainSupervisor, ordersSupervisor);

            var main = host.Services.GetRequiredService<CouchbaseClient>();
            var orders = host.Services.GetRequiredKeyedService<CouchbaseClient>("orders");
            var clients = host.Services.GetRequiredService<CouchbaseClients>();
            Assert.Same(main, clients.Default);
            Assert.Same(orders, clients["orders"]);
            Assert.Same(orders, host.Services.GetRequiredService<OrdersRepository>().Client);
            Assert.Equal(new[] { "couchbase", "orders" }, clients.Names);
            Assert.Equal(mainSupervisor, main.Supervisor);
            Assert.Equal(ordersSupervisor, orders.Supervisor);
            Assert.Equal(ordersSupervisor, await host.Services.GetRequiredService<IRequiredActor<OrdersCouchbase>>().GetAsync());

            Assert.Equal("default", main.Settings.Bucket);
            Assert.Equal("orders", orders.Settings.Bucket);
            Assert.Equal(TimeSpan.FromSeconds(4), orders.Settings.OperationTimeout);   // from akka.couchbase

            await Task.WhenAll(main.ConnectAsync(TimeSpan.FromSeconds(15)), orders.ConnectAsync(TimeSpan.FromSeconds(15)));
            await orders.UpsertAsync("order:1", "placed");
            await main.UpsertAsync("user:1", "signed up");

            Assert.Equal(KvOutcome.NotFound, (await main.GetAsync("order:1")).Outcome);
            Assert.Equal(KvOutcome.NotFound, (await orders.GetAsync("user:1")).Outcome);
            Assert.Equal("placed", await orders.GetAsync<string>("order:1"));
            Assert.Equal("signed up", await main.GetAsync<string>("user:1"));
            var reply = await ordersSupervisor.Ask<GetResult>(new Kv.Get("order:1"), TimeSpan.FromSeconds(5));
            Assert.Equal("placed", reply.ContentAs<string>());

            // On the servers: each document is in its own client's cluster only.
            Assert.Equal("placed", Encoding.UTF8.GetString(_orders.Bucket("orders").Get("order:1")!.Value));
            Assert.Null(_main.Bucket("default").Get("order:1"));
            Assert.Equal("signed up", Encoding.UTF8.GetString(_main.Bucket("default").Get("user:1")!.Value));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
