using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>
/// The topology contract over TLS: every node reached at its kvSSL port from the map, through the TLS transport;
/// failover, restart, hiccups, dropped and truncated connections keep exactly one reply and per-key order.
/// </summary>
public sealed class TopologyChangesOverTlsSpec(ITestOutputHelper output) : TopologyChangesContract(output, tls: true);
