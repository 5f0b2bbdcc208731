using System.Security.Cryptography;
using System.Text;

namespace Akka.Couchbase.Protocol.Sasl;

/// <summary>
/// The SCRAM computations of RFC 5802 as Couchbase uses them (spec §7.3), for either side of the exchange:
/// the client proves it knows the password, the server checks the proof and proves itself in turn.
/// H, HMAC and PBKDF2 all use the mechanism's hash. Passwords are UTF-8 without SASLprep.
/// </summary>
internal static class ScramFormulas
{
    /// <summary>SaltedPassword = PBKDF2-HMAC-H(password, salt, iterations, |H|).</summary>
    public static byte[] SaltedPassword(ScramMechanism mechanism, string password, ReadOnlySpan<byte> salt, int iterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "must be at least 1");
        return Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations,
            mechanism.HashAlgorithm(), mechanism.HashSize());
    }

    /// <summary>ClientKey = HMAC(SaltedPassword, "Client Key").</summary>
    public static byte[] ClientKey(ScramMechanism mechanism, ReadOnlySpan<byte> saltedPassword) =>
        Hmac(mechanism, saltedPassword, "Client Key"u8);

    /// <summary>StoredKey = H(ClientKey); what a server keeps instead of the password.</summary>
    public static byte[] StoredKey(ScramMechanism mechanism, ReadOnlySpan<byte> clientKey) => Hash(mechanism, clientKey);

    /// <summary>ServerKey = HMAC(SaltedPassword, "Server Key").</summary>
    public static byte[] ServerKey(ScramMechanism mechanism, ReadOnlySpan<byte> saltedPassword) =>
        Hmac(mechanism, saltedPassword, "Server Key"u8);

    /// <summary>ClientSignature = HMAC(StoredKey, AuthMessage).</summary>
    public static byte[] ClientSignature(ScramMechanism mechanism, ReadOnlySpan<byte> storedKey, string authMessage) =>
        Hmac(mechanism, storedKey, Encoding.UTF8.GetBytes(authMessage));

    /// <summary>ClientProof = ClientKey XOR ClientSignature.</summary>
    public static byte[] ClientProof(ReadOnlySpan<byte> clientKey, ReadOnlySpan<byte> clientSignature) =>
        Xor(clientKey, clientSignature);

    /// <summary>ServerSignature = HMAC(ServerKey, AuthMessage).</summary>
    public static byte[] ServerSignature(ScramMechanism mechanism, ReadOnlySpan<byte> serverKey, string authMessage) =>
        Hmac(mechanism, serverKey, Encoding.UTF8.GetBytes(authMessage));

    /// <summary>
    /// AuthMessage = client-first-bare + "," + server-first + "," + client-final-without-proof, where
    /// client-first-bare is the client-first message without its GS2 header (<c>n,,</c>).
    /// </summary>
    public static string AuthMessage(string clientFirstBare, string serverFirst, string clientFinalWithoutProof) =>
        clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof;

    /// <summary>
    /// Server side: true when <paramref name="clientProof"/> proves knowledge of the password behind
    /// <paramref name="storedKey"/> (recovers ClientKey = proof XOR ClientSignature and checks H(ClientKey) = StoredKey,
    /// in constant time).
    /// </summary>
    public static bool VerifyClientProof(ScramMechanism mechanism, ReadOnlySpan<byte> storedKey, string authMessage,
        ReadOnlySpan<byte> clientProof)
    {
        if (clientProof.Length != mechanism.HashSize() || storedKey.Length != mechanism.HashSize()) return false;
        var signature = ClientSignature(mechanism, storedKey, authMessage);
        var clientKey = Xor(clientProof, signature);
        return CryptographicOperations.FixedTimeEquals(Hash(mechanism, clientKey), storedKey);
    }

    /// <summary>H(data).</summary>
    public static byte[] Hash(ScramMechanism mechanism, ReadOnlySpan<byte> data) => mechanism switch
    {
        ScramMechanism.Sha1 => SHA1.HashData(data),
        ScramMechanism.Sha256 => SHA256.HashData(data),
        ScramMechanism.Sha512 => SHA512.HashData(data),
        _ => throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, null),
    };

    /// <summary>HMAC-H(key, data).</summary>
    public static byte[] Hmac(ScramMechanism mechanism, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => mechanism switch
    {
        ScramMechanism.Sha1 => HMACSHA1.HashData(key, data),
        ScramMechanism.Sha256 => HMACSHA256.HashData(key, data),
        ScramMechanism.Sha512 => HMACSHA512.HashData(key, data),
        _ => throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, null),
    };

    private static byte[] Xor(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("the two byte strings must have the same length");
        var result = new byte[a.Length];
        for (var i = 0; i < result.Length; i++) result[i] = (byte)(a[i] ^ b[i]);
        return result;
    }
}
