using System.Text;

namespace Akka.Couchbase.Protocol.Sasl;

/// <summary>
/// Reading and writing the attribute syntax of SCRAM messages (<c>a=value,b=value</c>, RFC 5802 §5), shared by the
/// client and by servers that speak SCRAM.
/// </summary>
internal static class ScramMessage
{
    /// <summary>The GS2 header Couchbase clients send: no channel binding, no authzid.</summary>
    public const string Gs2Header = "n,,";

    /// <summary>base64 of <see cref="Gs2Header"/>, the <c>c=</c> value of the client-final message.</summary>
    public const string ChannelBinding = "biws";

    /// <summary>Escapes a user name for <c>n=</c>: <c>=</c> becomes <c>=3D</c> and <c>,</c> becomes <c>=2C</c>.</summary>
    public static string EscapeUserName(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);
    }

    /// <summary>Reverses <see cref="EscapeUserName"/>.</summary>
    /// <exception cref="FormatException">A <c>=</c> is followed by anything other than <c>3D</c> or <c>2C</c>.</exception>
    public static string UnescapeUserName(string escaped)
    {
        ArgumentNullException.ThrowIfNull(escaped);
        var sb = new StringBuilder(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] != '=') { sb.Append(escaped[i]); continue; }
            if (string.CompareOrdinal(escaped, i, "=3D", 0, 3) == 0) sb.Append('=');
            else if (string.CompareOrdinal(escaped, i, "=2C", 0, 3) == 0) sb.Append(',');
            else throw new FormatException($"SCRAM user name has an invalid escape at position {i}");
            i += 2;
        }
        return sb.ToString();
    }

    /// <summary>
    /// Splits a message into its attributes (single-letter names, in order). Values may contain <c>=</c>
    /// (base64 padding); they never contain <c>,</c>.
    /// </summary>
    /// <exception cref="FormatException">An attribute is not of the form <c>x=value</c> or a name repeats.</exception>
    public static IReadOnlyDictionary<char, string> Parse(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var result = new Dictionary<char, string>();
        foreach (var part in message.Split(','))
        {
            if (part.Length < 2 || part[1] != '=' || !char.IsAsciiLetter(part[0]))
                throw new FormatException($"SCRAM message attribute '{part}' is not of the form x=value");
            if (!result.TryAdd(part[0], part.Substring(2)))
                throw new FormatException($"SCRAM message repeats attribute '{part[0]}'");
        }
        return result;
    }
}
