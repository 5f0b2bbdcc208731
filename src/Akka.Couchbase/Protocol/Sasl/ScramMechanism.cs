using System.Security.Cryptography;

namespace Akka.Couchbase.Protocol.Sasl;

/// <summary>The SCRAM variants Couchbase offers (spec §7.2), named on the wire without a dash between SHA and the digits.</summary>
internal enum ScramMechanism
{
    /// <summary><c>SCRAM-SHA1</c>.</summary>
    Sha1,
    /// <summary><c>SCRAM-SHA256</c>.</summary>
    Sha256,
    /// <summary><c>SCRAM-SHA512</c>.</summary>
    Sha512,
}

/// <summary>Names and hash parameters of <see cref="ScramMechanism"/>.</summary>
internal static class ScramMechanismExtensions
{
    /// <summary>The mechanism name as the server lists it and as the SASL_AUTH key: <c>SCRAM-SHA1</c>, <c>SCRAM-SHA256</c>, <c>SCRAM-SHA512</c>.</summary>
    public static string ServerName(this ScramMechanism mechanism) => mechanism switch
    {
        ScramMechanism.Sha1 => "SCRAM-SHA1",
        ScramMechanism.Sha256 => "SCRAM-SHA256",
        ScramMechanism.Sha512 => "SCRAM-SHA512",
        _ => throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, null),
    };

    /// <summary>The hash function H of the mechanism.</summary>
    public static HashAlgorithmName HashAlgorithm(this ScramMechanism mechanism) => mechanism switch
    {
        ScramMechanism.Sha1 => HashAlgorithmName.SHA1,
        ScramMechanism.Sha256 => HashAlgorithmName.SHA256,
        ScramMechanism.Sha512 => HashAlgorithmName.SHA512,
        _ => throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, null),
    };

    /// <summary>The output size of H in bytes (20, 32 or 64).</summary>
    public static int HashSize(this ScramMechanism mechanism) => mechanism switch
    {
        ScramMechanism.Sha1 => 20,
        ScramMechanism.Sha256 => 32,
        ScramMechanism.Sha512 => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, null),
    };

    /// <summary>Reads a server mechanism name (case-insensitive); false for anything that is not one of the three SCRAM names.</summary>
    public static bool TryParse(string? name, out ScramMechanism mechanism)
    {
        foreach (var m in new[] { ScramMechanism.Sha512, ScramMechanism.Sha256, ScramMechanism.Sha1 })
        {
            if (string.Equals(name, m.ServerName(), StringComparison.OrdinalIgnoreCase))
            {
                mechanism = m;
                return true;
            }
        }
        mechanism = default;
        return false;
    }
}
