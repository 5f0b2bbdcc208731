using System.Security.Cryptography;
using System.Text;

namespace Akka.Couchbase.TestKit.Kv;

/// <summary>The SCRAM computations (RFC 5802, spec §7.3) the server side needs, per hash.</summary>
internal static class ScramServerMath
{
    public static HashAlgorithmName? HashOf(string mechanism) => mechanism switch
    {
        "SCRAM-SHA1" => HashAlgorithmName.SHA1,
        "SCRAM-SHA256" => HashAlgorithmName.SHA256,
        "SCRAM-SHA512" => HashAlgorithmName.SHA512,
        _ => null,
    };

    public static byte[] SaltedPassword(HashAlgorithmName hash, string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, hash, HashLength(hash));

    public static byte[] Hmac(HashAlgorithmName hash, byte[] key, byte[] data)
    {
        if (hash == HashAlgorithmName.SHA1) return HMACSHA1.HashData(key, data);
        if (hash == HashAlgorithmName.SHA256) return HMACSHA256.HashData(key, data);
        return HMACSHA512.HashData(key, data);
    }

    public static byte[] Hash(HashAlgorithmName hash, byte[] data)
    {
        if (hash == HashAlgorithmName.SHA1) return SHA1.HashData(data);
        if (hash == HashAlgorithmName.SHA256) return SHA256.HashData(data);
        return SHA512.HashData(data);
    }

    private static int HashLength(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA1 ? 20 : hash == HashAlgorithmName.SHA256 ? 32 : 64;
}
