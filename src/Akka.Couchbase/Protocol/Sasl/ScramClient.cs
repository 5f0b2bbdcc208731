using System.Globalization;
using System.Security.Cryptography;

namespace Akka.Couchbase.Protocol.Sasl;

/// <summary>
/// The client side of one SCRAM exchange over SASL_AUTH / SASL_STEP (spec §7.3): <see cref="ClientFirst"/> goes in
/// SASL_AUTH, the AUTH_CONTINUE reply's value goes to <see cref="ClientFinal"/> whose result goes in SASL_STEP, and
/// the SUCCESS reply's value goes to <see cref="VerifyServerFinal"/>. Single use, not thread-safe.
/// </summary>
internal sealed class ScramClient
{
    /// <summary>The largest iteration count accepted from a server; more would let a server stall the client.</summary>
    public const int MaxIterations = 1_000_000;

    private readonly string _password;
    private readonly string _clientFirstBare;
    private byte[]? _expectedServerSignature;

    /// <summary>Starts an exchange for <paramref name="user"/>.</summary>
    /// <param name="mechanism">The SCRAM variant (see <see cref="SaslMechanismSelector"/>).</param>
    /// <param name="user">The user name, escaped here as SCRAM requires.</param>
    /// <param name="password">The password (UTF-8, no SASLprep).</param>
    /// <param name="clientNonce">The client nonce; by default 8 random bytes as 16 lowercase hex characters. Must be printable ASCII without commas.</param>
    public ScramClient(ScramMechanism mechanism, string user, string password, string? clientNonce = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        clientNonce ??= Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        if (clientNonce.Length == 0 || clientNonce.Any(c => c is < '!' or > '~' or ','))
            throw new ArgumentException("the client nonce must be printable ASCII without commas", nameof(clientNonce));

        Mechanism = mechanism;
        ClientNonce = clientNonce;
        _password = password;
        _clientFirstBare = "n=" + ScramMessage.EscapeUserName(user) + ",r=" + clientNonce;
    }

    /// <summary>The mechanism of this exchange.</summary>
    public ScramMechanism Mechanism { get; }

    /// <summary>The SASL mechanism name to put in the key of SASL_AUTH and SASL_STEP.</summary>
    public string MechanismName => Mechanism.ServerName();

    /// <summary>The client nonce.</summary>
    public string ClientNonce { get; }

    /// <summary>The client-first message: <c>n,,n=&lt;user&gt;,r=&lt;client nonce&gt;</c>.</summary>
    public string ClientFirst() => ScramMessage.Gs2Header + _clientFirstBare;

    /// <summary>
    /// Computes the client-final message <c>c=biws,r=&lt;nonce&gt;,p=&lt;proof&gt;</c> from the server-first message
    /// <c>r=&lt;nonce&gt;,s=&lt;salt&gt;,i=&lt;iterations&gt;</c>, and remembers the server signature to expect.
    /// </summary>
    /// <exception cref="FormatException">
    /// The server-first message is malformed, its nonce does not extend the client nonce, or its iteration count is
    /// below 1 or above <see cref="MaxIterations"/>.
    /// </exception>
    public string ClientFinal(string serverFirst)
    {
        ArgumentNullException.ThrowIfNull(serverFirst);
        var attributes = ScramMessage.Parse(serverFirst);
        if (attributes.ContainsKey('m'))
            throw new FormatException("SCRAM server-first message asks for an extension (m=) this client does not support");
        if (attributes.TryGetValue('e', out var error))
            throw new FormatException($"SCRAM server-first message is an error: {error}");

        var nonce = Required(attributes, 'r', "nonce");
        if (!nonce.StartsWith(ClientNonce, StringComparison.Ordinal) || nonce.Length == ClientNonce.Length)
            throw new FormatException("SCRAM server nonce does not extend the client nonce");

        byte[] salt;
        try { salt = Convert.FromBase64String(Required(attributes, 's', "salt")); }
        catch (FormatException ex) { throw new FormatException("SCRAM server-first salt (s=) is not valid base64", ex); }

        var iterationsText = Required(attributes, 'i', "iteration count");
        if (!int.TryParse(iterationsText, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations < 1 || iterations > MaxIterations)
            throw new FormatException(
                $"SCRAM server-first iteration count (i=) '{iterationsText}' is not between 1 and {MaxIterations}");

        var withoutProof = "c=" + ScramMessage.ChannelBinding + ",r=" + nonce;
        var authMessage = ScramFormulas.AuthMessage(_clientFirstBare, serverFirst, withoutProof);

        var salted = ScramFormulas.SaltedPassword(Mechanism, _password, salt, iterations);
        var clientKey = ScramFormulas.ClientKey(Mechanism, salted);
        var storedKey = ScramFormulas.StoredKey(Mechanism, clientKey);
        var proof = ScramFormulas.ClientProof(clientKey, ScramFormulas.ClientSignature(Mechanism, storedKey, authMessage));
        _expectedServerSignature = ScramFormulas.ServerSignature(Mechanism, ScramFormulas.ServerKey(Mechanism, salted), authMessage);

        return withoutProof + ",p=" + Convert.ToBase64String(proof);
    }

    /// <summary>
    /// True when the server-final message <c>v=&lt;signature&gt;</c> carries the expected server signature
    /// (compared in constant time); false for a wrong signature, an error (<c>e=</c>) or a malformed message.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="ClientFinal"/> has not been called.</exception>
    public bool VerifyServerFinal(string serverFinal)
    {
        if (_expectedServerSignature is null)
            throw new InvalidOperationException("ClientFinal must be called before VerifyServerFinal");
        if (serverFinal is null) return false;
        try
        {
            var attributes = ScramMessage.Parse(serverFinal);
            if (attributes.ContainsKey('e') || !attributes.TryGetValue('v', out var v)) return false;
            return CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(v), _expectedServerSignature);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Required(IReadOnlyDictionary<char, string> attributes, char name, string what) =>
        attributes.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new FormatException($"SCRAM server-first message has no {what} ({name}=)");
}
