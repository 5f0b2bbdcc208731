using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Cluster;

/// <summary>The topology contract over plain TCP (Akka.IO).</summary>
public sealed class TopologyChangesSpec(ITestOutputHelper output) : TopologyChangesContract(output, tls: false);
