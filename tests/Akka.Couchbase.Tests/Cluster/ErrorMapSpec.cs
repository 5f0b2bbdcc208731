using Akka.Couchbase.Protocol;
using Akka.Couchbase.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>
/// The server's error map (GET_ERROR_MAP, after HELLO XERROR) is used: a status this client does not know is named
/// from it, and a status whose entry says "conn-state-invalidated" makes the connection reopen.
/// </summary>
public sealed class ErrorMapSpec : EmbeddedClusterSpec
{
    public ErrorMapSpec(ITestOutputHelper output) : base(output) { }

    [Fact]
    public async Task An_unknown_status_is_named_from_the_servers_error_map()
    {
        await Client.UpsertAsync("errmap::cancelled", "v");
        using var rule = Cluster.Faults.ForceStatus((KvStatus)0x51, Opcode.Get, "^errmap::cancelled$");
        var e = await Assert.ThrowsAsync<KvServerErrorException>(() => Client.GetAsync("errmap::cancelled"));
        Assert.Contains("0x51 CANCELLED (Cancelled)", e.Message);
        Assert.False(e.IsTemporary);
    }

    [Fact]
    public async Task A_status_that_invalidates_the_connection_makes_it_reopen()
    {
        const string key = "errmap::internal";
        await Client.UpsertAsync(key, "v");
        Cluster.Faults.CommandLog.Start();
        using var rule = Cluster.Faults.ForceStatus(KvStatus.InternalError, Opcode.Get, "^errmap::internal$");
        await Assert.ThrowsAsync<KvServerErrorException>(() => Client.GetAsync(key));

        Assert.Equal("v", await Client.GetAsync<string>(key));
        var gets = Cluster.Faults.CommandLog.Snapshot().Where(r => r.Key == key && r.Opcode == Opcode.Get).ToList();
        Assert.Equal(2, gets.Count);
        Assert.NotEqual(gets[0].Connection, gets[1].Connection); // the second went over a new connection
    }
}
