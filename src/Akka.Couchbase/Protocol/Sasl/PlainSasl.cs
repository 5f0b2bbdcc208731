using System.Text;

namespace Akka.Couchbase.Protocol.Sasl;

/// <summary>SASL PLAIN (RFC 4616, spec §7.2): one SASL_AUTH whose value is <c>authzid \0 user \0 password</c> with an empty authzid.</summary>
internal static class PlainSasl
{
    /// <summary>The mechanism name, the key of the SASL_AUTH request.</summary>
    public const string MechanismName = "PLAIN";

    /// <summary>The SASL_AUTH value: <c>\0user\0password</c> in UTF-8.</summary>
    public static byte[] Encode(string user, string password)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        if (user.Contains('\0') || password.Contains('\0'))
            throw new ArgumentException("PLAIN user names and passwords cannot contain NUL characters");
        return Encoding.UTF8.GetBytes("\0" + user + "\0" + password);
    }

    /// <summary>Server side: splits a PLAIN message into authzid, user and password; false if it is not of that form.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> message, out string authzid, out string user, out string password)
    {
        authzid = user = password = "";
        var first = message.IndexOf((byte)0);
        if (first < 0) return false;
        var rest = message.Slice(first + 1);
        var second = rest.IndexOf((byte)0);
        if (second < 0) return false;
        var pass = rest.Slice(second + 1);
        if (pass.IndexOf((byte)0) >= 0) return false;
        authzid = Encoding.UTF8.GetString(message.Slice(0, first));
        user = Encoding.UTF8.GetString(rest.Slice(0, second));
        password = Encoding.UTF8.GetString(pass);
        return true;
    }
}
