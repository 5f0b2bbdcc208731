using Akka.Configuration;
using Xunit;

namespace Akka.Couchbase.Tests.Settings;

/// <summary>Settings come from HOCON with the reference defaults, and bad values name their key.</summary>
public sealed class CouchbaseSettingsSpec
{
    private static CouchbaseSettings Parse(string hocon) =>
        CouchbaseSettings.Create(ConfigurationFactory.ParseString(hocon));

    [Fact]
    public void Defaults_come_from_the_embedded_reference_conf()
    {
        var settings = Parse("");
        Assert.Equal(new[] { ("127.0.0.1", 11210) }, settings.Servers);
        Assert.Equal("default", settings.Bucket);
        Assert.Equal(BucketType.Couchbase, settings.BucketType);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), settings.OperationTimeout);
        Assert.Equal(20 * 1024 * 1024, settings.MaxValueSize);
        Assert.False(settings.AllowPlainAuth);
        Assert.Equal(KvTransport.AkkaIo, settings.Transport);
    }

    [Theory]
    [InlineData("transport = akka-io", KvTransport.AkkaIo)]
    [InlineData("transport = socket", KvTransport.Socket)]
    [InlineData("transport = \" Socket \"", KvTransport.Socket)]
    public void The_transport_is_akka_io_or_the_clients_own_socket(string hocon, KvTransport expected) =>
        Assert.Equal(expected, Parse(hocon).Transport);

    [Fact]
    public void Servers_accept_hosts_ports_ipv6_and_the_couchbase_scheme()
    {
        var settings = Parse("servers = [\"a\", \"b:12000\", \"[::1]:11999\", \"couchbase://c\"]");
        Assert.Equal(new[] { ("a", 11210), ("b", 12000), ("::1", 11999), ("c", 11210) }, settings.Servers);
    }

    [Fact]
    public void The_HTTP_map_stream_defaults_to_the_seeds_hosts_on_port_8091()
    {
        var settings = Parse("servers = [\"a\", \"b:12000\", \"a:11211\"]");
        Assert.True(settings.HttpBootstrapEnabled);
        Assert.Equal(new[] { ("a", 8091), ("b", 8091) }, settings.HttpBootstrapEndpoints);

        settings = Parse("http-bootstrap { servers = [\"m1\", \"m2:9000\"], port = 18091 }");
        Assert.Equal(new[] { ("m1", 8091), ("m2", 9000) }, settings.HttpBootstrapEndpoints);
        Assert.Equal(new[] { ("127.0.0.1", 18091) }, Parse("http-bootstrap.port = 18091").HttpBootstrapEndpoints);
    }

    [Theory]
    [InlineData("http-bootstrap.port = 70000", "akka.couchbase.http-bootstrap.port")]
    [InlineData("http-bootstrap.servers = [\"m:70000\"]", "akka.couchbase.http-bootstrap.servers")]
    [InlineData("bucket-type = redis", "akka.couchbase.bucket-type")]
    [InlineData("transport = netty", "akka.couchbase.transport")]
    [InlineData("operation-timeout = 0s", "akka.couchbase.operation-timeout")]
    [InlineData("servers = []", "akka.couchbase.servers")]
    [InlineData("servers = [\"host:99999\"]", "akka.couchbase.servers")]
    [InlineData("max-in-flight-per-node = 0", "akka.couchbase.max-in-flight-per-node")]
    [InlineData("reconnect-jitter = 2", "akka.couchbase.reconnect-jitter")]
    [InlineData("reconnect-min-backoff = 5s\nreconnect-max-backoff = 1s", "akka.couchbase.reconnect-max-backoff")]
    [InlineData("password = secret", "akka.couchbase.username")]
    [InlineData("max-value-size = lots", "akka.couchbase.max-value-size")]
    [InlineData("max-write-batch-bytes = 3 apples", "akka.couchbase.max-write-batch-bytes")]
    [InlineData("max-value-size = 4GiB", "akka.couchbase.max-value-size")]
    [InlineData("max-in-flight-per-node = many", "akka.couchbase.max-in-flight-per-node")]
    [InlineData("max-backlog = 1.5", "akka.couchbase.max-backlog")]
    [InlineData("operation-timeout = fast", "akka.couchbase.operation-timeout")]
    [InlineData("reconnect-jitter = some", "akka.couchbase.reconnect-jitter")]
    [InlineData("allow-plain-auth = maybe", "akka.couchbase.allow-plain-auth")]
    [InlineData("http-bootstrap.port = http", "akka.couchbase.http-bootstrap.port")]
    [InlineData("observability.threshold-sample-size = x", "akka.couchbase.observability.threshold-sample-size")]
    [InlineData("observability.kv-threshold = slow", "akka.couchbase.observability.kv-threshold")]
    [InlineData("dns-srv.timeout = soon", "akka.couchbase.dns-srv.timeout")]
    [InlineData("tls.enabled = perhaps", "akka.couchbase.tls.enabled")]
    public void Bad_values_fail_with_a_message_naming_the_key(string hocon, string key)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Parse(hocon));
        Assert.StartsWith(key, e.Message);
    }

    [Fact]
    public void A_value_of_the_wrong_kind_is_named_with_what_was_expected()
    {
        Assert.Equal("akka.couchbase.operation-timeout is 'fast', not a duration (such as 2500ms or 5s)",
            Assert.Throws<ArgumentException>(() => Parse("operation-timeout = fast")).Message);
        Assert.Equal("akka.couchbase.max-in-flight-per-node is 'many', not a whole number",
            Assert.Throws<ArgumentException>(() => Parse("max-in-flight-per-node = many")).Message);
        Assert.Equal("akka.couchbase.max-value-size is 'lots', not a size in bytes (such as 65536 or 64k)",
            Assert.Throws<ArgumentException>(() => Parse("max-value-size = lots")).Message);
        Assert.Equal("akka.couchbase.tls.enabled is 'perhaps', not on or off",
            Assert.Throws<ArgumentException>(() => Parse("tls.enabled = perhaps")).Message);
    }

    [Theory]
    [InlineData("max-value-size = 65536", 65536)]
    [InlineData("max-value-size = 64k", 65536)]
    [InlineData("max-value-size = 64KiB", 65536)]
    [InlineData("max-value-size = 1m", 1048576)]
    public void Sizes_in_bytes_take_a_number_or_a_hocon_size(string hocon, int bytes) =>
        Assert.Equal(bytes, Parse(hocon).MaxValueSize);

    [Fact]
    public void The_password_never_appears_in_ToString()
    {
        var settings = Parse("username = admin\npassword = hunter2");
        Assert.DoesNotContain("hunter2", settings.ToString());
        Assert.Contains("admin", settings.ToString());
    }
}
