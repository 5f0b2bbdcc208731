using System.Text;
using Akka.Actor;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using Akka.Couchbase.TestKit;
using Akka.Couchbase.TestKit.Cluster;
using Xunit;

namespace Akka.Couchbase.Tests.Settings;

/// <summary>
/// The extension puts every reference default into the actor system's configuration, however little of
/// <c>akka.couchbase</c> the application sets, and owns the system's clients by name: the default one, named ones
/// configured under <c>akka.couchbase.clients.&lt;name&gt;</c> over <c>akka.couchbase</c>, and ones created in code.
/// </summary>
public sealed class CouchbaseExtensionSpec : IAsyncLifetime
{
    private InProcessCluster _cluster = null!;

    public async Task InitializeAsync() =>
        _cluster = await InProcessCluster.StartAsync(new InProcessClusterOptions
        {
            Nodes = 1,
            Buckets =
            {
                new BucketDefinition("default", BucketType.Couchbase, VBuckets: 64, Replicas: 0),
                new BucketDefinition("orders", BucketType.Couchbase, VBuckets: 64, Replicas: 0),
            },
            Users = { ["app"] = "s3cret" },
        });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private string Servers => $"servers = [\"127.0.0.1:{_cluster.Nodes[0].KvPort}\"]\nhttp-bootstrap.servers = [\"127.0.0.1:{_cluster.Nodes[0].MgmtPort}\"]\n";

    private static async Task WithSystem(string hocon, Func<ActorSystem, Task> test)
    {
        var system = ActorSystem.Create("extension-spec",
            ConfigurationFactory.ParseString(hocon + "\nakka.loglevel = WARNING"));
        try { await test(system); }
        finally { await system.Terminate(); }
    }

    [Fact]
    public Task A_section_that_sets_max_response_body_keeps_every_other_default_and_the_client_works() =>
        WithSystem($"akka.couchbase {{\n{Servers}max-response-body = 2097152\nusername = app\npassword = s3cret\n}}", async system =>
        {
            var couchbase = CouchbaseExtension.Get(system);
            var set = new[] { "servers", "http-bootstrap.servers", "max-response-body", "username", "password" };
            var config = system.Settings.Config;
            var missingOrChanged = LeafPaths(CouchbaseExtension.DefaultConfig.GetConfig("akka.couchbase"))
                .Where(key => !set.Contains(key))
                .Where(key => config.GetValue("akka.couchbase." + key)?.ToString() !=
                              CouchbaseExtension.DefaultConfig.GetValue("akka.couchbase." + key).ToString())
                .ToList();
            Assert.Empty(missingOrChanged);
            Assert.Equal(CouchbaseExtension.DefaultConfig.GetTimeSpan("akka.couchbase.operation-timeout"),
                config.GetTimeSpan("akka.couchbase.operation-timeout"));
            Assert.Equal(2097152, config.GetInt("akka.couchbase.max-response-body"));

            var client = couchbase.Client;
            Assert.Equal(2097152, client.Settings.MaxResponseBody);
            await client.ConnectAsync(TimeSpan.FromSeconds(15));
            await client.UpsertAsync("partial-config", "works");
            Assert.Equal("works", await client.GetAsync<string>("partial-config"));
        });

    [Fact]
    public Task A_named_client_reads_its_section_over_akka_couchbase_and_keeps_to_its_own_bucket() =>
        WithSystem($"akka.couchbase {{\n{Servers}username = app\npassword = s3cret\noperation-timeout = 3s\n" +
                   "clients { orders { bucket = orders\nmax-backlog = 77 } }\n}", async system =>
        {
            var couchbase = CouchbaseExtension.Get(system);
            var orders = couchbase.GetClient("orders");
            Assert.Same(orders, couchbase.GetClient("orders"));
            Assert.Same(couchbase.Client, couchbase.GetClient(CouchbaseExtension.DefaultClientName));
            Assert.Equal(new[] { "couchbase", "orders" }, couchbase.ClientNames);
            Assert.Equal("couchbase-orders", orders.Supervisor.Path.Name);
            Assert.Equal("orders", orders.Settings.Bucket);
            Assert.Equal(77, orders.Settings.MaxBacklog);
            Assert.Equal(TimeSpan.FromSeconds(3), orders.Settings.OperationTimeout);   // from akka.couchbase
            Assert.Equal(couchbase.Client.Settings.Servers, orders.Settings.Servers);
            Assert.Equal("default", couchbase.Client.Settings.Bucket);
            Assert.Equal(16384, couchbase.Client.Settings.MaxBacklog);

            await Task.WhenAll(couchbase.Client.ConnectAsync(TimeSpan.FromSeconds(15)), orders.ConnectAsync(TimeSpan.FromSeconds(15)));
            await orders.UpsertAsync("order:1", "in orders");
            await couchbase.Client.UpsertAsync("user:1", "in default");

            Assert.Equal(KvOutcome.NotFound, (await couchbase.Client.GetAsync("order:1")).Outcome);
            Assert.Equal(KvOutcome.NotFound, (await orders.GetAsync("user:1")).Outcome);
            Assert.Equal("in orders", await orders.GetAsync<string>("order:1"));
            Assert.Equal("in default", await couchbase.Client.GetAsync<string>("user:1"));
            // On the server: each document is in its client's bucket only.
            Assert.Equal("in orders", Encoding.UTF8.GetString(_cluster.Bucket("orders").Get("order:1")!.Value));
            Assert.Null(_cluster.Bucket("default").Get("order:1"));
            Assert.Null(_cluster.Bucket("orders").Get("user:1"));
        });

    [Fact]
    public Task An_unknown_name_is_an_error_that_lists_the_known_ones() =>
        WithSystem("akka.couchbase.clients { orders { bucket = orders }\nsessions { bucket = sessions } }", system =>
        {
            var couchbase = CouchbaseExtension.Get(system);
            couchbase.CreateClient(CouchbaseSettings.Create(ConfigurationFactory.ParseString("bucket = made")), "made-in-code");
            var e = Assert.Throws<ArgumentException>(() => couchbase.GetClient("order"));
            Assert.Contains("no Couchbase client is named 'order'", e.Message);
            Assert.Contains("known names: couchbase, made-in-code, orders, sessions", e.Message);
            return Task.CompletedTask;
        });

    [Fact]
    public Task A_named_client_does_not_inherit_the_default_clients_connection_string() =>
        WithSystem("akka.couchbase { connection-string = \"couchbase://a.example/travel?operation-timeout=3s\"\n" +
                   "clients { orders { servers = [\"b.example\"], bucket = orders }\n" +
                   "own { connection-string = \"couchbase://c.example/own\" } } }", system =>
        {
            var couchbase = CouchbaseExtension.Get(system);
            Assert.Equal(new[] { ("a.example", 11210) }, couchbase.Client.Settings.Servers);
            var orders = couchbase.GetClient("orders").Settings;
            Assert.Equal(new[] { ("b.example", 11210) }, orders.Servers);
            Assert.Equal("orders", orders.Bucket);
            Assert.Equal(TimeSpan.FromSeconds(2.5), orders.OperationTimeout); // the reference's, not the string's option
            var own = couchbase.GetClient("own").Settings;
            Assert.Equal(new[] { ("c.example", 11210) }, own.Servers);
            Assert.Equal("own", own.Bucket);
            return Task.CompletedTask;
        });

    [Fact]
    public Task A_name_stands_for_one_client() =>
        WithSystem("akka.couchbase.clients.orders.bucket = orders", system =>
        {
            var couchbase = CouchbaseExtension.Get(system);
            var settings = CouchbaseSettings.Create(ConfigurationFactory.ParseString("bucket = other"));

            var made = couchbase.CreateClient(settings, "other");
            Assert.Same(made, couchbase.GetClient("other"));
            var twice = Assert.Throws<ArgumentException>(() => couchbase.CreateClient(settings, "other"));
            Assert.Contains("a Couchbase client named 'other' already exists", twice.Message);

            var orders = couchbase.GetClient("orders");
            Assert.Throws<ArgumentException>(() => couchbase.CreateClient(settings, "orders"));
            Assert.Same(orders, couchbase.GetClient("orders"));

            var taken = Assert.Throws<ArgumentException>(() => couchbase.CreateClient(settings, CouchbaseExtension.DefaultClientName));
            Assert.Contains("names the default client", taken.Message);
            return Task.CompletedTask;
        });

    [Theory]
    [InlineData("clients.orders.bucket = \"\"", "akka.couchbase.clients.orders.bucket must not be empty")]
    [InlineData("clients.orders.servers = [\"host:notaport\"]", "akka.couchbase.clients.orders.servers entry 'host:notaport' has a bad port")]
    [InlineData("clients.orders.http-bootstrap.port = 70000", "akka.couchbase.clients.orders.http-bootstrap.port must be a port number")]
    [InlineData("max-backlog = -1\nclients.orders.bucket = orders",
        "akka.couchbase.max-backlog must not be negative, was -1 (inherited by the Couchbase client 'orders'")]
    public Task A_bad_value_of_a_named_client_is_named_where_it_was_set(string hocon, string message) =>
        WithSystem("akka.couchbase {\n" + hocon + "\n}", system =>
        {
            var e = Assert.Throws<ArgumentException>(() => CouchbaseExtension.Get(system).GetClient("orders"));
            Assert.StartsWith(message, e.Message);
            return Task.CompletedTask;
        });

    /// <summary>The paths of every value (not object) under <paramref name="config"/>.</summary>
    private static IEnumerable<string> LeafPaths(Config config)
    {
        static IEnumerable<string> Walk(HoconObject node, string prefix) =>
            node.Items.SelectMany(item => item.Value.IsObject()
                ? Walk(item.Value.GetObject(), prefix + item.Key + ".")
                : new[] { prefix + item.Key });
        return Walk(config.Root.GetObject(), "");
    }
}
