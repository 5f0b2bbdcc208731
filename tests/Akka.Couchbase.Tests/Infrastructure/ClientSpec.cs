using Akka.Configuration;
using Xunit.Abstractions;

namespace Akka.Couchbase.Tests.Infrastructure;

/// <summary>A TestKit spec whose actor system has an <c>akka.couchbase</c> section pointing at the given servers.</summary>
public abstract class ClientSpec : Akka.TestKit.Xunit2.TestKit
{
    protected ClientSpec(string couchbaseHocon, ITestOutputHelper output)
        : base(ConfigurationFactory.ParseString("akka.couchbase { " + couchbaseHocon + " }\nakka.loglevel = INFO"), output: output)
    {
    }

    protected CouchbaseExtension Couchbase => CouchbaseExtension.Get(Sys);
    protected CouchbaseClient Client => Couchbase.Client;

    protected static string MemcachedHocon(params string[] servers) =>
        $"servers = [{string.Join(",", servers.Select(s => $"\"{s}\""))}]\nbucket-type = memcached\n";
}
