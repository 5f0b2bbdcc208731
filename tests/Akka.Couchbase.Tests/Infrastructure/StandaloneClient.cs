using Akka.Actor;
using Akka.TestKit;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Infrastructure;

/// <summary>
/// A client in an actor system of its own, made inside a test: for tests that need several clients, or a server
/// started before the client's HOCON can be written. Dispose it at the end of the test.
/// </summary>
public sealed class StandaloneClient : ClientSpec
{
    public StandaloneClient(string hocon, ITestOutputHelper output) : base(hocon, output) { }

    public new CouchbaseClient Client => base.Client;
    public IActorRef Supervisor => Couchbase.Supervisor;
    public TestProbe Probe() => CreateTestProbe();
}
