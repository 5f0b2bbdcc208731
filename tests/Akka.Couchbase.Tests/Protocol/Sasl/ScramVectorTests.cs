using System.Text;
using Akka.Couchbase.Protocol.Sasl;
using Xunit;

namespace Akka.Couchbase.Tests.Protocol.Sasl;

/// <summary>The SCRAM exchanges of spec §7.3, message for message.</summary>
public class ScramVectorTests
{
    private const string ServerFirst2 = "r=0123456789abcdeffedcba9876543210,s=MDEyMzQ1Njc4OUFCQ0RFRg==,i=4096";

    [Fact]
    public void Vector_1_kv_engine_SCRAM_SHA1()
    {
        var client = new ScramClient(ScramMechanism.Sha1, "user", "pencil", "d40a02e348040590");

        Assert.Equal("SCRAM-SHA1", client.MechanismName);
        Assert.Equal("n,,n=user,r=d40a02e348040590", client.ClientFirst());
        Assert.Equal("c=biws,r=d40a02e348040590ec8ac784d46faf9d,p=co6kWwNhpVYuuFHWQv5VVcWrPJM=",
            client.ClientFinal("r=d40a02e348040590ec8ac784d46faf9d,s=fw3GRQYlFy6QEqT5y7Of4XbGaGg=,i=10"));
        Assert.True(client.VerifyServerFinal("v=inZJ2d0Ms4dnENnHwPaqVfNn7DY="));
    }

    [Fact]
    public void Vector_2_SCRAM_SHA512()
    {
        var client = new ScramClient(ScramMechanism.Sha512, "Administrator", "password", "0123456789abcdef");

        Assert.Equal("SCRAM-SHA512", client.MechanismName);
        Assert.Equal("n,,n=Administrator,r=0123456789abcdef", client.ClientFirst());
        Assert.Equal(
            "c=biws,r=0123456789abcdeffedcba9876543210,p=wC7NS6JGWiwOGA16dtJU4mrM4zcO1LutGM53/+tgZAio4KvL1h6v/Xxuow2hR8vB7cXVqXGTFc7auOoxdAETKA==",
            client.ClientFinal(ServerFirst2));
        Assert.True(client.VerifyServerFinal(
            "v=O/XvJ29PJIgU8ReQ03jRa6FIIR+TrqAy8dzclxmjjlC4VueVTVBPkPxwLDg9LbYIUaJ9whDx7hg33yLnW+mZFA=="));
    }

    [Fact]
    public void Vector_3_SCRAM_SHA256()
    {
        var client = new ScramClient(ScramMechanism.Sha256, "Administrator", "password", "0123456789abcdef");

        Assert.Equal("SCRAM-SHA256", client.MechanismName);
        Assert.Equal("n,,n=Administrator,r=0123456789abcdef", client.ClientFirst());
        Assert.Equal("c=biws,r=0123456789abcdeffedcba9876543210,p=E6Uc/AMIEWJUUlpt8N0flykMw7T3DBrid12z7ZE/Fk8=",
            client.ClientFinal(ServerFirst2));
        Assert.True(client.VerifyServerFinal("v=Rw+VOadI6xkgiXRy/BHA672MDBRRal5nxeZvHq2KaGs="));
    }

    [Fact]
    public void The_server_side_formulas_accept_the_vector_1_proof_and_produce_its_signature()
    {
        const ScramMechanism m = ScramMechanism.Sha1;
        var salted = ScramFormulas.SaltedPassword(m, "pencil", Convert.FromBase64String("fw3GRQYlFy6QEqT5y7Of4XbGaGg="), 10);
        var storedKey = ScramFormulas.StoredKey(m, ScramFormulas.ClientKey(m, salted));
        var authMessage = ScramFormulas.AuthMessage(
            "n=user,r=d40a02e348040590",
            "r=d40a02e348040590ec8ac784d46faf9d,s=fw3GRQYlFy6QEqT5y7Of4XbGaGg=,i=10",
            "c=biws,r=d40a02e348040590ec8ac784d46faf9d");
        var proof = Convert.FromBase64String("co6kWwNhpVYuuFHWQv5VVcWrPJM=");

        Assert.True(ScramFormulas.VerifyClientProof(m, storedKey, authMessage, proof));
        Assert.Equal("inZJ2d0Ms4dnENnHwPaqVfNn7DY=",
            Convert.ToBase64String(ScramFormulas.ServerSignature(m, ScramFormulas.ServerKey(m, salted), authMessage)));

        proof[0] ^= 1;
        Assert.False(ScramFormulas.VerifyClientProof(m, storedKey, authMessage, proof));
    }

    [Fact]
    public void A_wrong_server_signature_is_rejected()
    {
        var client = new ScramClient(ScramMechanism.Sha1, "user", "pencil", "d40a02e348040590");
        client.ClientFinal("r=d40a02e348040590ec8ac784d46faf9d,s=fw3GRQYlFy6QEqT5y7Of4XbGaGg=,i=10");

        Assert.False(client.VerifyServerFinal("v=jnZJ2d0Ms4dnENnHwPaqVfNn7DY="));
        Assert.False(client.VerifyServerFinal("e=invalid-proof"));
        Assert.False(client.VerifyServerFinal("v=not base64!"));
        Assert.False(client.VerifyServerFinal(""));
    }

    [Fact]
    public void Hash_sizes_match_the_mechanisms()
    {
        Assert.Equal(20, ScramFormulas.SaltedPassword(ScramMechanism.Sha1, "p", Encoding.ASCII.GetBytes("salt"), 1).Length);
        Assert.Equal(32, ScramFormulas.SaltedPassword(ScramMechanism.Sha256, "p", Encoding.ASCII.GetBytes("salt"), 1).Length);
        Assert.Equal(64, ScramFormulas.SaltedPassword(ScramMechanism.Sha512, "p", Encoding.ASCII.GetBytes("salt"), 1).Length);
    }
}
