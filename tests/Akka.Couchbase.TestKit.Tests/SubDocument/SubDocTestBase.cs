using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.TestKit.Tests.Support;
using Xunit;

namespace Akka.Couchbase.TestKit.Tests.SubDocument;

/// <summary>A fresh cluster per test and a sub-document connection to the node owning the key under test.</summary>
public abstract class SubDocTestBase : ClusterTestBase
{
    private protected Task<SubDocClient> ClientAsync(string key, bool xattr = true) =>
        SubDocClient.ConnectAsync(Cluster.Nodes[Owner(key)].KvPort, Vb, xattr);

    /// <summary>Stores <paramref name="json"/> under <paramref name="key"/> with a plain SET; returns its CAS.</summary>
    private protected static async Task<ulong> StoreAsync(SubDocClient c, string key, string json)
    {
        var set = await c.SetAsync(key, json);
        Assert.Equal(KvStatus.Success, set.Status);
        return set.Cas;
    }

    /// <summary>The body a plain GET returns now.</summary>
    private protected static async Task<string> BodyAsync(SubDocClient c, string key)
    {
        var get = await c.GetAsync(key);
        Assert.Equal(KvStatus.Success, get.Status);
        return Encoding.UTF8.GetString(get.Value);
    }

    /// <summary>A key that no document has, served by the same node as <paramref name="key"/>.</summary>
    private protected string AbsentKeyBeside(string key) =>
        Enumerable.Range(0, 10_000).Select(i => "absent-" + i).First(k => Owner(k) == Owner(key) && Default.Get(k) is null);

    private protected static string Value(Frame f) => Encoding.UTF8.GetString(f.Value);
}
