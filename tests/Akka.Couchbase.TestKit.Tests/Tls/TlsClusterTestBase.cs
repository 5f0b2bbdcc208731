using Akka.Couchbase.TestKit.Tests.Support;

namespace Akka.Couchbase.TestKit.Tests.Tls;

/// <summary>A fresh three-node cluster with TLS on, and clients that trust its CA only.</summary>
public abstract class TlsClusterTestBase : ClusterTestBase
{
    protected override InProcessClusterOptions Options()
    {
        var o = base.Options();
        o.Tls = true;
        return o;
    }

    /// <summary>A strict TLS client trusting the cluster CA.</summary>
    private protected TlsClient Trusting() => new(Cluster.Tls.CaCertificate);

    /// <summary>A TLS KV connection to <paramref name="node"/>, HELLO done, PLAIN-authenticated, bucket selected.</summary>
    private protected async Task<RawKvClient> TlsBucketAsync(int node, TlsClient? tls = null)
    {
        var c = await RawKvClient.ConnectTlsAsync(Cluster.Nodes[node].KvTlsPort, tls ?? Trusting());
        await c.HelloAsync(Protocol.HelloFeature.XError, Protocol.HelloFeature.Json, Protocol.HelloFeature.SelectBucket);
        var auth = await c.PlainAsync("Administrator", "password");
        if (auth.Status != Protocol.KvStatus.Success) throw new InvalidOperationException("auth failed: " + auth.Status);
        var sel = await c.SelectBucketAsync("default");
        if (sel.Status != Protocol.KvStatus.Success) throw new InvalidOperationException("select failed: " + sel.Status);
        return c;
    }
}
