using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>HTTP bootstrap over plain HTTP (the cluster manager's port 8091 on a real server).</summary>
public sealed class HttpBootstrapSpec(ITestOutputHelper output) : HttpBootstrapContract(output, tls: false);
