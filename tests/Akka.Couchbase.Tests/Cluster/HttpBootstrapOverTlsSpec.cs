using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>
/// HTTP bootstrap over HTTPS (the cluster manager's TLS port, 18091 on a real server), trusting the cluster's CA
/// with the KV connections' rules; the KV nodes are reached at their kvSSL ports from the streamed map.
/// </summary>
public sealed class HttpBootstrapOverTlsSpec(ITestOutputHelper output) : HttpBootstrapContract(output, tls: true);
