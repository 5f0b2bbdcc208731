using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>
/// The topology contract over plain TCP through the client's own socket transport (<c>transport = socket</c>):
/// failover, restart, hiccups, dropped and truncated connections keep exactly one reply and per-key order.
/// </summary>
public sealed class TopologyChangesOverSocketSpec(ITestOutputHelper output)
    : TopologyChangesContract(output, tls: false, transport: "socket");
