using System.Text;
using Akka.Couchbase.Protocol.Sasl;
using Xunit;

namespace Akka.Couchbase.Tests.Protocol.Sasl;

/// <summary>Mechanism choice (spec §7.2) and the PLAIN message.</summary>
public class SaslMechanismSelectionTests
{
    [Theory]
    [InlineData("SCRAM-SHA512 SCRAM-SHA256 SCRAM-SHA1 PLAIN", false, "SCRAM-SHA512")]
    [InlineData("PLAIN SCRAM-SHA1 SCRAM-SHA256", false, "SCRAM-SHA256")]
    [InlineData("SCRAM-SHA1 PLAIN", true, "SCRAM-SHA1")]
    [InlineData("scram-sha512", false, "SCRAM-SHA512")]
    [InlineData("PLAIN", true, "PLAIN")]
    [InlineData("PLAIN", false, null)]
    [InlineData("CRAM-MD5 OAUTHBEARER", true, null)]
    [InlineData("", true, null)]
    [InlineData("SCRAM-SHA-256 PLAIN", false, null)] // dashed spelling is not what Couchbase sends
    public void The_strongest_acceptable_mechanism_is_chosen(string offered, bool allowPlain, string? expected) =>
        Assert.Equal(expected, SaslMechanismSelector.Choose(SaslMechanismSelector.ParseList(offered), allowPlain));

    [Theory]
    [InlineData("SCRAM-SHA512 SCRAM-SHA256 PLAIN", "PLAIN")]
    [InlineData("PLAIN SCRAM-SHA1", "PLAIN")]
    [InlineData("SCRAM-SHA512 SCRAM-SHA256", "SCRAM-SHA512")] // no PLAIN offered: the strongest SCRAM still
    public void Over_tls_plain_is_preferred_when_offered(string offered, string expected) =>
        Assert.Equal(expected, SaslMechanismSelector.Choose(SaslMechanismSelector.ParseList(offered), allowPlain: true, preferPlain: true));

    [Fact]
    public void Mechanism_names_round_trip()
    {
        foreach (var m in Enum.GetValues<ScramMechanism>())
        {
            Assert.True(ScramMechanismExtensions.TryParse(m.ServerName(), out var parsed));
            Assert.Equal(m, parsed);
        }
        Assert.False(ScramMechanismExtensions.TryParse("PLAIN", out _));
    }

    [Fact]
    public void Plain_message_is_nul_user_nul_password()
    {
        var bytes = PlainSasl.Encode("user", "pencil");

        Assert.Equal(new byte[] { 0, (byte)'u', (byte)'s', (byte)'e', (byte)'r', 0, (byte)'p', (byte)'e', (byte)'n', (byte)'c', (byte)'i', (byte)'l' }, bytes);
        Assert.True(PlainSasl.TryDecode(bytes, out var authzid, out var user, out var password));
        Assert.Equal(("", "user", "pencil"), (authzid, user, password));
    }

    [Fact]
    public void Plain_decoding_refuses_messages_without_two_separators() =>
        Assert.False(PlainSasl.TryDecode(Encoding.UTF8.GetBytes("user\0pencil"), out _, out _, out _));
}
