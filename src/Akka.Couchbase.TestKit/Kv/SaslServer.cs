using System.Security.Cryptography;
using System.Text;
using Akka.Couchbase.Protocol;
using Akka.Couchbase.Protocol.Sasl;
using Akka.Couchbase.TestKit.Cluster;

namespace Akka.Couchbase.TestKit.Kv;

/// <summary>
/// Server side of SASL for one connection: PLAIN (single step) and SCRAM-SHA1/256/512 (SASL_AUTH with
/// client-first, AUTH_CONTINUE with server-first, SASL_STEP with client-final, SUCCESS with server-final).
/// </summary>
internal sealed class SaslServer
{
    private readonly Credentials _credentials;
    private readonly IReadOnlyList<string> _mechanisms;
    private string? _mechanism;
    private string? _user;
    private string? _clientFirstBare;
    private string? _serverFirst;
    private string? _nonce;

    public SaslServer(Credentials credentials, IReadOnlyList<string> mechanisms)
    {
        _credentials = credentials;
        _mechanisms = mechanisms;
    }

    public string MechanismList => string.Join(' ', _mechanisms);

    /// <summary>SASL_AUTH: returns the status and payload; <paramref name="user"/> is set on success.</summary>
    public (KvStatus Status, byte[] Payload) Start(string mechanism, byte[] message, out string? user)
    {
        user = null;
        Reset();
        if (!_mechanisms.Contains(mechanism, StringComparer.Ordinal)) return (KvStatus.AuthError, Array.Empty<byte>());
        if (mechanism == "PLAIN")
        {
            var parts = Encoding.UTF8.GetString(message).Split('\0');
            if (parts.Length != 3 || !_credentials.Check(parts[1], parts[2])) return (KvStatus.AuthError, Array.Empty<byte>());
            user = parts[1];
            return (KvStatus.Success, Array.Empty<byte>());
        }
        if (!ScramMechanismExtensions.TryParse(mechanism, out _)) return (KvStatus.AuthError, Array.Empty<byte>());
        var text = Encoding.UTF8.GetString(message);
        if (!text.StartsWith("n,", StringComparison.Ordinal) && !text.StartsWith("y,", StringComparison.Ordinal))
            return (KvStatus.AuthError, Array.Empty<byte>());
        var secondComma = text.IndexOf(',', 2);
        if (secondComma < 0) return (KvStatus.AuthError, Array.Empty<byte>());
        var bare = text[(secondComma + 1)..];
        var attrs = Parse(bare);
        if (!attrs.TryGetValue('n', out var rawUser) || !attrs.TryGetValue('r', out var clientNonce) || clientNonce.Length == 0)
            return (KvStatus.AuthError, Array.Empty<byte>());
        var name = rawUser.Replace("=2C", ",").Replace("=3D", "=");
        if (!_credentials.Exists(name)) return (KvStatus.AuthError, Array.Empty<byte>());
        _mechanism = mechanism;
        _user = name;
        _clientFirstBare = bare;
        _nonce = clientNonce + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(_credentials.SaltOf(name))},i={_credentials.Iterations}";
        return (KvStatus.AuthContinue, Encoding.UTF8.GetBytes(_serverFirst));
    }

    /// <summary>SASL_STEP: verifies the client proof; <paramref name="user"/> is set on success.</summary>
    public (KvStatus Status, byte[] Payload) Step(string mechanism, byte[] message, out string? user)
    {
        user = null;
        if (_mechanism is null || _mechanism != mechanism || _user is null)
        {
            Reset();
            return (KvStatus.AuthError, Array.Empty<byte>());
        }
        try
        {
            ScramMechanismExtensions.TryParse(mechanism, out var scram);
            var text = Encoding.UTF8.GetString(message);
            var proofAt = text.LastIndexOf(",p=", StringComparison.Ordinal);
            if (proofAt < 0) return (KvStatus.AuthError, Array.Empty<byte>());
            var withoutProof = text[..proofAt];
            var attrs = Parse(text);
            if (!attrs.TryGetValue('r', out var nonce) || nonce != _nonce) return (KvStatus.AuthError, Array.Empty<byte>());
            if (!attrs.TryGetValue('c', out var channel) || channel != "biws") return (KvStatus.AuthError, Array.Empty<byte>());
            var proof = Convert.FromBase64String(attrs['p']);
            var salted = _credentials.SaltedPassword(_user, mechanism,
                (password, salt, iterations) => ScramFormulas.SaltedPassword(scram, password, salt, iterations));
            var storedKey = ScramFormulas.StoredKey(scram, ScramFormulas.ClientKey(scram, salted));
            var authMessage = ScramFormulas.AuthMessage(_clientFirstBare!, _serverFirst!, withoutProof);
            if (!ScramFormulas.VerifyClientProof(scram, storedKey, authMessage, proof))
                return (KvStatus.AuthError, Array.Empty<byte>());
            var serverSignature = ScramFormulas.ServerSignature(scram, ScramFormulas.ServerKey(scram, salted), authMessage);
            user = _user;
            return (KvStatus.Success, Encoding.UTF8.GetBytes("v=" + Convert.ToBase64String(serverSignature)));
        }
        catch (FormatException)
        {
            return (KvStatus.AuthError, Array.Empty<byte>());
        }
        catch (KeyNotFoundException)
        {
            return (KvStatus.AuthError, Array.Empty<byte>());
        }
        finally
        {
            Reset();
        }
    }

    private void Reset()
    {
        _mechanism = null;
        _user = null;
        _clientFirstBare = null;
        _serverFirst = null;
        _nonce = null;
    }

    private static Dictionary<char, string> Parse(string message)
    {
        var result = new Dictionary<char, string>();
        foreach (var part in message.Split(','))
            if (part.Length >= 2 && part[1] == '=') result[part[0]] = part[2..];
        return result;
    }
}
