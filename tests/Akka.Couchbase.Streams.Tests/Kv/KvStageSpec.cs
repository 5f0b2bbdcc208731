using Akka.Configuration;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Faults;
using Akka.Streams;
using Akka.Streams.Dsl;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Streams.Tests.KvStages;

/// <summary>A spec of the KV stages: an actor system whose default client talks to the shared <see cref="KvCluster"/>.</summary>
[Collection(KvClusterCollection.Name)]
public abstract class KvStageSpec : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    protected KvStageSpec(KvCluster kv, ITestOutputHelper output, string extraHocon = "")
        : base(ConfigurationFactory.ParseString(kv.Hocon(extraHocon)), output: output)
    {
        Server = kv;
        Materializer = Sys.Materializer();
    }

    protected KvCluster Server { get; }

    protected ActorMaterializer Materializer { get; }

    protected CouchbaseClient Client => CouchbaseExtension.Get(Sys).Client;

    protected CommandLog CommandLog => Server.Cluster.Faults.CommandLog;

    public async Task InitializeAsync() => await Client.ConnectAsync(TimeSpan.FromSeconds(20));

    public Task DisposeAsync()
    {
        Server.Cluster.Faults.ClearForcedStatuses();
        CommandLog.Stop();
        return Task.CompletedTask;
    }

    /// <summary>Runs <paramref name="source"/> to a list.</summary>
    protected async Task<IReadOnlyList<T>> RunToList<T, TMat>(Source<T, TMat> source) =>
        await source.RunWith(Sink.Seq<T>(), Materializer);

    /// <summary>
    /// The requests the cluster received with opcode <paramref name="opcode"/> on keys starting with
    /// <paramref name="prefix"/>, once everything this client sent before the call has arrived: the client keeps the
    /// order of the commands its supervisor receives on each node's connection, so a Get of a marker key on each
    /// node, sent now and answered, comes after them.
    /// </summary>
    protected async Task<IReadOnlyList<KvCommandRecord>> ReceivedAsync(Opcode opcode, string prefix)
    {
        // One marker per node, each after the commands sent so far on that node's connection.
        foreach (var marker in MarkerKeys()) await Client.GetAsync(marker);
        return CommandLog.Snapshot().Where(r => r.Opcode == opcode && r.Key is { } k && k.StartsWith(prefix, StringComparison.Ordinal)).ToList();
    }

    private IEnumerable<string> MarkerKeys()
    {
        for (var node = 0; node < Server.Cluster.Nodes.Count; node++)
        {
            var n = node;
            yield return Enumerable.Range(0, 1000).Select(i => $"marker-{i}").First(k => Server.NodeOf(k) == n);
        }
    }
}
