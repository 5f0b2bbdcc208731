using Akka.Configuration;
using Xunit;

namespace Akka.Couchbase.Tests.Discovery;

/// <summary>
/// Which connection strings are looked up in DNS SRV, under which record, and how the lookup is configured
/// (<c>akka.couchbase.dns-srv</c>, the option <c>srv</c>).
/// </summary>
public sealed class SrvConnectionStringTests
{
    private static CouchbaseSettings Settings(string connectionString, string hocon = "") =>
        CouchbaseSettings.Create(ConfigurationFactory.ParseString(
            $"connection-string = \"{connectionString}\"\n{hocon}"));

    [Theory]
    [InlineData("couchbase://cb.example.com", "_couchbase._tcp.cb.example.com")]
    [InlineData("couchbases://cb.example.com", "_couchbases._tcp.cb.example.com")]
    [InlineData("couchbase://cb.example.com/travel?kv_timeout=5000", "_couchbase._tcp.cb.example.com")]
    [InlineData("couchbases://cb.example.com.", "_couchbases._tcp.cb.example.com")]
    [InlineData("COUCHBASE://Cb.Example.Com", "_couchbase._tcp.Cb.Example.Com")]
    public void One_host_with_no_port_and_no_mode_is_looked_up_under_the_schemes_record(string connectionString, string record)
    {
        var settings = Settings(connectionString);
        Assert.Equal(record, settings.DnsSrv.RecordName);
        Assert.True(settings.DnsSrv.LooksUp);
    }

    [Fact]
    public void The_fallback_seed_is_the_name_itself_on_the_default_port()
    {
        Assert.Equal(new[] { ("cb.example.com", 11210) }, Settings("couchbase://cb.example.com").Servers);
        Assert.Equal(new[] { ("cb.example.com", 11207) }, Settings("couchbases://cb.example.com").Servers);
    }

    [Theory]
    [InlineData("couchbase://cb1.example.com,cb2.example.com")] // several hosts
    [InlineData("couchbase://cb.example.com:11210")] // a port
    [InlineData("couchbase://cb.example.com=mcd")] // a mode
    [InlineData("couchbase://cb.example.com=http")]
    [InlineData("couchbase://10.0.0.1")] // IP literals
    [InlineData("couchbase://[::1]")]
    [InlineData("couchbase://::1")]
    [InlineData("couchbase://localhost")] // always loopback
    [InlineData("couchbases://LOCALHOST")]
    [InlineData("couchbase://db.localhost")]
    [InlineData("cb.example.com")] // no scheme: RFC 0011 asks for couchbase:// or couchbases://
    public void Other_connection_strings_are_not_looked_up(string connectionString)
    {
        var settings = Settings(connectionString);
        Assert.Null(settings.DnsSrv.RecordName);
        Assert.False(settings.DnsSrv.LooksUp);
    }

    [Fact]
    public void Servers_without_a_connection_string_are_not_looked_up()
    {
        var settings = CouchbaseSettings.Create(ConfigurationFactory.ParseString("servers = [\"cb.example.com\"]"));
        Assert.False(settings.DnsSrv.LooksUp);
    }

    [Theory]
    [InlineData("couchbase://cb.example.com?srv=false")]
    [InlineData("couchbase://cb.example.com?srv=off")]
    [InlineData("couchbase://cb.example.com?dns-srv.enabled=off")]
    public void The_option_srv_or_the_key_turns_the_lookup_off(string connectionString)
    {
        var settings = Settings(connectionString);
        Assert.False(settings.DnsSrv.Enabled);
        Assert.False(settings.DnsSrv.LooksUp);
        Assert.Equal(new[] { ("cb.example.com", 11210) }, settings.Servers);
    }

    [Fact]
    public void Hocon_turns_it_off_too_and_the_option_wins_over_hocon()
    {
        Assert.False(Settings("couchbase://cb.example.com", "dns-srv.enabled = off").DnsSrv.LooksUp);
        Assert.True(Settings("couchbase://cb.example.com?srv=true", "dns-srv.enabled = off").DnsSrv.LooksUp);
    }

    [Fact]
    public void A_bad_srv_option_is_an_error_that_says_what_it_takes()
    {
        var e = Assert.Throws<ArgumentException>(() => Settings("couchbase://cb.example.com?srv=maybe"));
        Assert.Contains("srv=maybe", e.Message);
        Assert.Contains("true or false", e.Message);
    }

    [Fact]
    public void The_defaults_are_on_the_systems_resolvers_2s_and_10s()
    {
        var dns = Settings("couchbase://cb.example.com").DnsSrv;
        Assert.True(dns.Enabled);
        Assert.Equal("", dns.NameServer);
        Assert.Null(dns.NameServerEndPoint);
        Assert.Equal(TimeSpan.FromSeconds(2), dns.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(10), dns.ReResolveInterval);
    }

    [Theory]
    [InlineData("127.0.0.1:5353", "127.0.0.1:5353")]
    [InlineData("10.0.0.2", "10.0.0.2:53")]
    [InlineData("[::1]:5353", "[::1]:5353")]
    [InlineData("::1", "[::1]:53")]
    public void The_name_server_is_an_ip_with_an_optional_port(string configured, string endpoint)
    {
        var dns = Settings("couchbase://cb.example.com", $"dns-srv.name-server = \"{configured}\"").DnsSrv;
        Assert.Equal(endpoint, dns.NameServerEndPoint!.ToString());
    }

    [Theory]
    [InlineData("dns-srv.name-server = \"ns.example.com\"", "dns-srv.name-server")]
    [InlineData("dns-srv.name-server = \"127.0.0.1:99999\"", "dns-srv.name-server")]
    [InlineData("dns-srv.timeout = 0s", "dns-srv.timeout")]
    [InlineData("dns-srv.name-server = \"[::1]:0\"", "dns-srv.name-server")]
    public void Bad_dns_srv_settings_are_errors_naming_the_key(string hocon, string key)
    {
        var e = Assert.Throws<ArgumentException>(() => Settings("couchbase://cb.example.com", hocon));
        Assert.Contains("akka.couchbase." + key, e.Message);
    }

    [Fact]
    public void The_name_server_may_come_from_the_connection_string()
    {
        var dns = Settings("couchbase://cb.example.com?dns-srv.name-server=127.0.0.1:5353&dns-srv.timeout=500ms").DnsSrv;
        Assert.Equal("127.0.0.1:5353", dns.NameServer);
        Assert.Equal(TimeSpan.FromMilliseconds(500), dns.Timeout);
    }
}
