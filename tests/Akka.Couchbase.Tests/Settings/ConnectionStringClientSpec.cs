using Akka.Couchbase.TestKit;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Settings;

/// <summary>A client configured by nothing but a connection string (and credentials) works against a cluster.</summary>
public sealed class ConnectionStringClientSpec : ClientSpec, IAsyncLifetime
{
    private readonly InProcessCluster _cluster;

    public ConnectionStringClientSpec(ITestOutputHelper output) : this(Start(), output)
    {
    }

    private ConnectionStringClientSpec(InProcessCluster cluster, ITestOutputHelper output)
        // servers points nowhere: only the connection string can lead the client to the cluster.
        : base($"servers = [\"127.0.0.1:1\"]\nbucket = nowhere\nconnection-string = \"{cluster.ConnectionString}/orders?kv_timeout=5000\"\n" +
               "username = app\npassword = s3cret\n", output)
    {
        _cluster = cluster;
    }

    private static InProcessCluster Start() =>
        InProcessCluster.StartAsync(new InProcessClusterOptions
        {
            Nodes = 2,
            Buckets = { new BucketDefinition("orders", BucketType.Couchbase, VBuckets: 16, Replicas: 0) },
            Users = { ["app"] = "s3cret" },
        }).GetAwaiter().GetResult();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Upsert_and_get_go_to_the_bucket_of_the_connection_string()
    {
        Assert.Equal("orders", Client.Settings.Bucket);
        Assert.Equal(TimeSpan.FromSeconds(5), Client.Settings.OperationTimeout);
        await Client.UpsertAsync("order::1", "{\"total\":3}");
        var got = await Client.GetAsync("order::1");
        Assert.Equal(KvOutcome.Success, got.Outcome);
        Assert.NotNull(_cluster.Bucket("orders").Get("order::1"));
    }
}
