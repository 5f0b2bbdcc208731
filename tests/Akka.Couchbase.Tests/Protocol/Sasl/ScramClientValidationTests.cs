using Akka.Couchbase.Protocol.Sasl;
using Xunit;

namespace Akka.Couchbase.Tests.Protocol.Sasl;

/// <summary>The SCRAM client escapes user names and refuses server messages that would weaken or stall it.</summary>
public class ScramClientValidationTests
{
    private static ScramClient Client() => new(ScramMechanism.Sha256, "user", "pencil", "abcdef0123456789");

    [Fact]
    public void User_names_are_escaped_in_client_first()
    {
        var client = new ScramClient(ScramMechanism.Sha1, "a=b,c", "pw", "0011223344556677");

        Assert.Equal("n,,n=a=3Db=2Cc,r=0011223344556677", client.ClientFirst());
        Assert.Equal("a=b,c", ScramMessage.UnescapeUserName("a=3Db=2Cc"));
    }

    [Fact]
    public void The_default_nonce_is_16_lowercase_hex_characters_and_differs_each_time()
    {
        var a = new ScramClient(ScramMechanism.Sha512, "u", "p");
        var b = new ScramClient(ScramMechanism.Sha512, "u", "p");

        Assert.Matches("^[0-9a-f]{16}$", a.ClientNonce);
        Assert.Equal("n,,n=u,r=" + a.ClientNonce, a.ClientFirst());
        Assert.NotEqual(a.ClientNonce, b.ClientNonce);
    }

    [Theory]
    [InlineData("r=ffffffffffffffff0000,s=c2FsdA==,i=4096")]   // does not start with the client nonce
    [InlineData("r=abcdef0123456789,s=c2FsdA==,i=4096")]       // server added nothing
    [InlineData("r=bcdef0123456789a9999,s=c2FsdA==,i=4096")]
    public void A_server_nonce_that_does_not_extend_the_client_nonce_is_refused(string serverFirst)
    {
        var ex = Assert.Throws<FormatException>(() => Client().ClientFinal(serverFirst));
        Assert.Contains("nonce", ex.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1000001")]
    [InlineData("99999999999")]
    [InlineData("ten")]
    public void Iteration_counts_below_one_or_absurd_are_refused(string iterations)
    {
        var ex = Assert.Throws<FormatException>(() =>
            Client().ClientFinal($"r=abcdef0123456789ffff,s=c2FsdA==,i={iterations}"));
        Assert.Contains("iteration", ex.Message);
    }

    [Fact]
    public void The_largest_accepted_iteration_count_is_one_million() =>
        Assert.StartsWith("c=biws,r=abcdef0123456789ffff,p=",
            new ScramClient(ScramMechanism.Sha1, "u", "p", "abcdef0123456789").ClientFinal("r=abcdef0123456789ffff,s=c2FsdA==,i=1"));

    [Theory]
    [InlineData("s=c2FsdA==,i=4096")]                          // no nonce
    [InlineData("r=abcdef0123456789ffff,i=4096")]              // no salt
    [InlineData("r=abcdef0123456789ffff,s=c2FsdA==")]          // no iterations
    [InlineData("r=abcdef0123456789ffff,s=***,i=4096")]        // salt not base64
    [InlineData("m=ext,r=abcdef0123456789ffff,s=c2FsdA==,i=4096")] // mandatory extension
    [InlineData("garbage")]
    public void Malformed_server_first_messages_are_refused(string serverFirst) =>
        Assert.Throws<FormatException>(() => Client().ClientFinal(serverFirst));

    [Fact]
    public void Verifying_before_the_final_message_is_a_programming_error() =>
        Assert.Throws<InvalidOperationException>(() => Client().VerifyServerFinal("v=AAAA"));
}
