using Akka.Configuration;
using Xunit;

namespace Akka.Couchbase.Tests.Settings;

/// <summary>
/// A connection string stands for the servers, bucket, TLS and options it names; what it cannot mean is refused
/// with a message that says what was meant.
/// </summary>
public sealed class ConnectionStringSpec
{
    private static CouchbaseSettings Read(string connectionString, string more = "") =>
        CouchbaseSettings.Create(ConfigurationFactory.ParseString(
            $"connection-string = \"{connectionString}\"\nservers = [\"ignored:1\"]\n{more}"));

    private static string Refused(string connectionString) =>
        Assert.Throws<ArgumentException>(() => Read(connectionString)).Message;

    [Fact]
    public void Hosts_ports_ipv6_bucket_and_options_become_the_settings_they_name()
    {
        var settings = Read("couchbase://h1,h2:11300,[::1],[fe80::1]:11400/travel-sample?operation-timeout=2500ms&kv_connect_timeout=3000");
        Assert.Equal(new[] { ("h1", 11210), ("h2", 11300), ("::1", 11210), ("fe80::1", 11400) }, settings.Servers);
        Assert.Equal("travel-sample", settings.Bucket);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), settings.OperationTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(3000), settings.ConnectTimeout);
        Assert.False(settings.Tls.Enabled);
    }

    [Fact]
    public void Couchbases_turns_tls_on_with_the_tls_ports()
    {
        var settings = Read("couchbases://cb.example.com,cb2.example.com:12000?tls.verify-host-name=off");
        Assert.True(settings.Tls.Enabled);
        Assert.False(settings.Tls.VerifyHostName);
        Assert.Equal(new[] { ("cb.example.com", 11207), ("cb2.example.com", 12000) }, settings.Servers);
        Assert.Equal("default", settings.Bucket); // no path: the bucket key (here its default)
    }

    [Fact]
    public void Http_hosts_are_cluster_manager_seeds_for_http_bootstrap()
    {
        var settings = Read("couchbase://a:9000=http,b=http");
        Assert.True(settings.HttpBootstrapEnabled);
        Assert.Equal(new[] { ("a", 9000), ("b", 8091) }, settings.HttpBootstrapServers);
        Assert.Equal(new[] { ("a", 11210), ("b", 11210) }, settings.Servers);
        var both = Read("couchbase://kv1=mcd,kv2,mgmt=http");
        Assert.Equal(new[] { ("kv1", 11210), ("kv2", 11210) }, both.Servers);
        Assert.Equal(new[] { ("mgmt", 8091) }, both.HttpBootstrapServers);
    }

    [Fact]
    public void A_string_without_a_scheme_is_a_plain_host_list()
    {
        Assert.Equal(new[] { ("10.0.0.1", 11210), ("10.0.0.2", 11210) }, Read("10.0.0.1,10.0.0.2").Servers);
    }

    [Fact]
    public void The_sdks_option_names_map_onto_the_settings()
    {
        var settings = Read("couchbases://h?kv_timeout=1500&config_poll_interval=10s&tls_verify=none&user_agent=orders");
        Assert.Equal(TimeSpan.FromMilliseconds(1500), settings.OperationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.ConfigPollInterval);
        Assert.True(settings.Tls.AllowInsecure);
        Assert.Equal("orders", settings.UserAgent);
    }

    [Fact]
    public void A_cluster_manager_port_given_as_a_kv_host_says_what_was_meant()
    {
        var message = Refused("couchbase://cb1:8091");
        Assert.Contains("8091 is the cluster manager's HTTP port", message);
        Assert.Contains("cb1:8091=http", message);
        Assert.Contains("akka.couchbase.connection-string", message);
    }

    [Theory]
    [InlineData("http://cb1:8091", "write couchbase://")]
    [InlineData("mongodb://cb1", "the schemes are couchbase:// and couchbases://")]
    [InlineData("couchbase://cb1?frobnicate=1", "'frobnicate', which is not known")]
    [InlineData("couchbase://cb1?servers=x", "the connection string's hosts, path and scheme stand for it")]
    [InlineData("couchbase://cb1=thrift", "the mode 'thrift'")]
    [InlineData("couchbase://cb1,,cb2", "an empty host")]
    [InlineData("couchbase://cb1:99999", "ports 1 to 65535")]
    [InlineData("couchbase://cb1/a/b", "a bucket name has no '/'")]
    [InlineData("couchbases://cb1?tls_verify=maybe", "tls_verify=maybe")]
    public void What_it_cannot_mean_is_refused_by_name(string connectionString, string expected)
    {
        Assert.Contains(expected, Refused(connectionString));
    }

    [Fact]
    public void An_option_with_a_bad_value_is_refused_naming_its_key()
    {
        var e = Assert.ThrowsAny<Exception>(() => Read("couchbase://cb1?max-backlog=-3"));
        Assert.Contains("max-backlog", e.Message);
    }

    [Fact]
    public void A_missing_ca_file_named_by_certpath_is_refused_naming_the_path()
    {
        var e = Assert.ThrowsAny<Exception>(() => Read("couchbases://cb1?certpath=/nowhere/ca.pem"));
        Assert.Contains("/nowhere/ca.pem", e.Message);
    }

    [Fact]
    public void Certpath_is_the_ca_and_with_keypath_it_is_the_client_certificate_as_libcouchbase_reads_them()
    {
        using var ca = new Infrastructure.TestCertificates("Connection String CA");
        var (certificate, key, _) = ca.Client("app", "unused");

        var trusting = Read($"couchbases://cb1?certpath={ca.CaPath}");
        Assert.Equal(new[] { ca.CaPath }, trusting.Tls.TrustedCertificatePaths);
        Assert.Null(trusting.Tls.ClientCertificate);

        var mutual = Read($"couchbases://cb1?certpath={certificate}&keypath={key}&truststorepath={ca.CaPath}");
        Assert.Equal(new[] { ca.CaPath }, mutual.Tls.TrustedCertificatePaths);
        Assert.Equal("CN=app", mutual.Tls.ClientCertificate!.Subject);
        Assert.True(mutual.UsesCertificateAuth);

        Assert.Contains("keypath (the client's private key) without certpath", Refused($"couchbases://cb1?keypath={key}"));
    }
}
